// Decimal rounding on the double, in the two flavours the specs use. Both scale x by 10^digits,
// round to an integer and scale back, so each is one function at every number of decimals.

/**
 * Round half to even at `digits` decimals on the double `x × 10^digits`: NumPy's `round(x, digits)`
 * bit for bit (nutrient.md §7.1 `round2`, §11.3 `q()` at 3 dp). `Math.round`/`toFixed` differ on
 * ties and on values such as 10.505 and 2.675 (§12.2). A zero result is +0; a non-finite scaled
 * value returns `x` unchanged.
 */
export function roundHalfEven(x: number, digits: number): number {
  const scale = 10 ** digits;
  const y = x * scale;
  if (!Number.isFinite(y)) return x;
  const f = Math.floor(y);
  // y − floor(y) is exact in binary floating point, so the comparison with 0.5 is exact too.
  const diff = y - f;
  const r = diff < 0.5 ? f : diff > 0.5 ? f + 1 : f % 2 === 0 ? f : f + 1;
  const out = r / scale;
  return out === 0 ? 0 : out;
}

/**
 * `Math.round` at `digits` decimals (ties toward +∞ on the scaled double): the GCN areas of the
 * result summary and the boundaries shapefile, and report figures.
 */
export function roundHalfUp(x: number, digits: number): number {
  const scale = 10 ** digits;
  return Math.round(x * scale) / scale;
}
