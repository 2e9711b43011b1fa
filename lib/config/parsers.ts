// Small value parsers for the configuration schema. Each returns the parsed value or throws a
// ParseProblem whose text completes "NAME: …" (operations.md §5.1).

export class ParseProblem extends Error {}

export type Parser<T> = (raw: string) => T;

export const str: Parser<string> = (raw) => raw;

export function int(min: number, max: number): Parser<number> {
  return (raw) => {
    const text = raw.trim();
    if (!/^-?\d+$/.test(text)) throw new ParseProblem(`must be an integer ${min}–${max}`);
    const n = Number(text);
    if (n < min || n > max) throw new ParseProblem(`must be an integer ${min}–${max}`);
    return n;
  };
}

export function num(min: number, max: number, opts: { exclusiveMin?: boolean } = {}): Parser<number> {
  return (raw) => {
    const text = raw.trim();
    const n = text === '' ? Number.NaN : Number(text);
    const below = opts.exclusiveMin ? n <= min : n < min;
    if (!Number.isFinite(n) || below || n > max) {
      throw new ParseProblem(`must be a number ${opts.exclusiveMin ? '>' : '≥'} ${min} and ≤ ${max}`);
    }
    return n;
  };
}

export const bool: Parser<boolean> = (raw) => {
  const text = raw.trim().toLowerCase();
  if (text === 'true' || text === '1') return true;
  if (text === 'false' || text === '0') return false;
  throw new ParseProblem('must be true or false');
};

export function oneOf<const T extends string>(values: readonly T[]): Parser<T> {
  return (raw) => {
    const text = raw.trim();
    if (!(values as readonly string[]).includes(text)) throw new ParseProblem(`must be one of ${values.join(', ')}`);
    return text as T;
  };
}

export function url(protocols: readonly string[]): Parser<string> {
  return (raw) => {
    let parsed: URL;
    try {
      parsed = new URL(raw.trim());
    } catch {
      throw new ParseProblem('must be a URL');
    }
    if (!protocols.includes(parsed.protocol)) throw new ParseProblem(`must be a ${protocols.join(' or ')} URL`);
    return raw.trim();
  };
}

export const uuid: Parser<string> = (raw) => {
  const text = raw.trim();
  if (!/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(text)) throw new ParseProblem('must be a UUID');
  return text;
};

export const email: Parser<string> = (raw) => {
  const text = raw.trim();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(text)) throw new ParseProblem('must be an e-mail address');
  return text;
};

export function pattern(re: RegExp, what: string): Parser<string> {
  return (raw) => {
    const text = raw.trim();
    if (!re.test(text)) throw new ParseProblem(`must be ${what}`);
    return text;
  };
}

export const regex: Parser<RegExp> = (raw) => {
  try {
    return new RegExp(raw);
  } catch {
    throw new ParseProblem('must be a valid regular expression');
  }
};

export const commaList: Parser<string[]> = (raw) =>
  raw.split(',').map((s) => s.trim().toLowerCase()).filter((s) => s.length > 0);

/** Notify keys are `{name}-{service uuid}-{secret uuid}` (contracts.md §9.5). */
export const notifyKey: Parser<string> = (raw) => {
  const text = raw.trim();
  const uuidRe = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
  if (text.length < 74 || !uuidRe.test(text.slice(-36)) || !uuidRe.test(text.slice(-73, -37))) {
    throw new ParseProblem('must look like {key_name}-{service_id}-{secret}');
  }
  return text;
};
