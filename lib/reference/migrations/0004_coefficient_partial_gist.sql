-- coefficient_layer is indexed per version (nutrient.md §5.6 step 4): the loader builds
-- `coefficient_layer_v<N>_gist ... WHERE version = <N>` after bulk-loading a version and drops it
-- when the version is purged. A table-wide GiST index would be maintained row by row during
-- every load of millions of parcels (about 16 s of the 1,000,000-row load) and would cover
-- the inactive versions too, so it goes.
DROP INDEX IF EXISTS coefficient_layer_geometry_gist;
