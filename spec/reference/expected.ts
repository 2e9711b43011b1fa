// Values the reference specs pin.

/**
 * sha256 of the generator's `test` preset (within shared/data/reference/nn_catchments.gpkg,
 * 100,000 rows, seed 27700; nutrient.md §11.4, §12.8). Changing the generator changes this on
 * purpose only.
 */
export const TEST_PRESET_SHA256 = '5960d99b9feffb4a3062b92c30cdf7b2c3fcbcb2ba9d4b089e45fe56a64bb2bc';
