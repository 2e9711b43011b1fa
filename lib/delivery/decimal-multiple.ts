// `multipleOf` with decimal semantics. Ajv's stock check divides doubles (`data / 0.01`) and
// compares with a tolerance (multipleOfPrecision 9): about one two-decimal amount in ten above
// £1,000,000 fails it (1234567.89 / 0.01 = 123456788.99999999). The backend's Joi
// `precision(2)` reads the decimal digits instead, and so does this: the shortest round-trip
// decimal of each double (ECMAScript Number → String) is compared as an exact scaled integer.

interface Decimal {
  digits: bigint;
  /** value = digits × 10^-scale (scale may be negative for large exponents). */
  scale: number;
}

/** The exact decimal a double prints as (`1e+21`, `5e-7`, `-12.5` all handled). */
export function decimalOf(value: number): Decimal {
  if (!Number.isFinite(value)) throw new RangeError(`not a finite number: ${value}`);
  const match = /^(-?)(\d+)(?:\.(\d+))?(?:e([+-]\d+))?$/.exec(String(value));
  if (!match) throw new RangeError(`unexpected number format: ${String(value)}`);
  const fraction = match[3] ?? '';
  const digits = BigInt(`${match[1] ?? ''}${match[2] ?? '0'}${fraction}`);
  return { digits, scale: fraction.length - Number(match[4] ?? '0') };
}

function atScale(d: Decimal, scale: number): bigint {
  return d.digits * 10n ** BigInt(scale - d.scale);
}

/** True when `value` is an exact decimal multiple of `step` (step > 0). */
export function isDecimalMultiple(value: number, step: number): boolean {
  if (!(step > 0)) throw new RangeError('multipleOf must be > 0');
  const v = decimalOf(value);
  const s = decimalOf(step);
  const scale = Math.max(v.scale, s.scale, 0);
  return atScale(v, scale) % atScale(s, scale) === 0n;
}
