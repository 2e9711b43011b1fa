// Lenient numbers for lookup cells and coefficients (nutrient.md §7.2): a dirty cell ("f", "?")
// becomes null with an issue carrying the raw text instead of failing the load or the job.

const NUMBER_PATTERN = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

export interface LenientResult {
  value: number | null;
  /** Present when a non-blank value could not be used; carries the raw text. */
  issue: { raw: string } | null;
}

const BLANK: LenientResult = { value: null, issue: null };

/** `parseLenient` of nutrient.md §7.2: finite numbers pass, blank ⇒ null, junk ⇒ null + issue. */
export function parseLenient(v: unknown): LenientResult {
  if (v === null || v === undefined) return BLANK;
  if (typeof v === 'number') return Number.isFinite(v) ? { value: v, issue: null } : { value: null, issue: { raw: String(v) } };
  if (typeof v === 'bigint') return { value: Number(v), issue: null };
  const text = typeof v === 'string' ? v : typeof v === 'boolean' ? String(v) : JSON.stringify(v) ?? '';
  const trimmed = text.trim();
  if (trimmed === '') return BLANK;
  if (!NUMBER_PATTERN.test(trimmed)) return { value: null, issue: { raw: text } };
  const value = Number(trimmed);
  // Overflow ("1e999") matches the pattern but is not a usable number.
  return Number.isFinite(value) ? { value, issue: null } : { value: null, issue: { raw: text } };
}

/** WwTW codes: lenient, and additionally integral ("1065.0" ⇒ 1065; "10.5" ⇒ null + issue). */
export function parseLenientCode(v: unknown): LenientResult {
  const parsed = parseLenient(v);
  if (parsed.value === null || Number.isSafeInteger(parsed.value)) return parsed;
  return { value: null, issue: { raw: typeof v === 'string' ? v : String(v) } };
}
