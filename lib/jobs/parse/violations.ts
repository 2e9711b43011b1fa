// Field checks for the message schema tables (contracts.md §2, §3). Checks run in table order and
// every violation is collected; the first one becomes the named field of `invalid_message`.
// Reasons follow JSON Schema keyword names (`required`, `type:integer`, `minimum:1`, `maxLength:254`,
// `pattern`, `format:email`, `enum:nutrient|gcn`) plus the contract's own (`alias_conflict`,
// `not_allowed`, `not_a_geometry`).

export interface Violation {
  field: string;
  reason: string;
}

export type JsonObject = Record<string, unknown>;

export function isJsonObject(value: unknown): value is JsonObject {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

/** Length in Unicode code points, as JSON Schema's minLength/maxLength count it. */
export function codePointLength(text: string): number {
  let count = 0;
  for (let i = 0; i < text.length; i += 1) {
    const unit = text.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff && i + 1 < text.length) {
      const next = text.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) i += 1;
    }
    count += 1;
  }
  return count;
}

export interface StringRule {
  minLength?: number;
  maxLength?: number;
  pattern?: RegExp;
  /** A named format check; returns false when the value does not conform. */
  format?: { name: string; test: (value: string) => boolean };
  enum?: readonly string[];
}

export interface IntegerRule {
  minimum?: number;
  maximum?: number;
}

/**
 * Reads fields of one JSON object and records violations under dotted paths. A missing key (or a
 * null on an optional field) is "absent"; a required absent field is `required`.
 */
export class FieldReader {
  constructor(
    private readonly source: JsonObject,
    private readonly violations: Violation[],
    private readonly prefix = '',
  ) {}

  path(name: string): string {
    return this.prefix ? `${this.prefix}.${name}` : name;
  }

  fail(field: string, reason: string): undefined {
    this.violations.push({ field, reason });
    return undefined;
  }

  has(name: string): boolean {
    return Object.hasOwn(this.source, name);
  }

  raw(name: string): unknown {
    return this.has(name) ? this.source[name] : undefined;
  }

  /** Present with a non-null value. */
  given(name: string): boolean {
    const value = this.raw(name);
    return value !== undefined && value !== null;
  }

  /** A reader for a nested object that records into the same violation list. */
  child(name: string, value: JsonObject): FieldReader {
    return new FieldReader(value, this.violations, this.path(name));
  }

  /** Required keys must be present and non-null; optional keys treat null as absent. */
  private present(name: string, required: boolean): boolean {
    const value = this.raw(name);
    if (value !== undefined && value !== null) return true;
    // A null business field is as missing as an absent one ("nothing silently becomes zero").
    if (required) this.fail(this.path(name), 'required');
    return false;
  }

  string(name: string, required: boolean, rule: StringRule = {}): string | undefined {
    if (!this.present(name, required)) return undefined;
    return checkString(this.raw(name), this.path(name), rule, this.violations);
  }

  integer(name: string, required: boolean, rule: IntegerRule = {}): number | undefined {
    if (!this.present(name, required)) return undefined;
    return checkInteger(this.raw(name), this.path(name), rule, this.violations);
  }

  object(name: string, required: boolean): JsonObject | undefined {
    if (!this.present(name, required)) return undefined;
    const value = this.raw(name);
    if (!isJsonObject(value)) return this.fail(this.path(name), 'type:object');
    return value;
  }

  array(name: string, required: boolean): unknown[] | undefined {
    if (!this.present(name, required)) return undefined;
    const value = this.raw(name);
    if (!Array.isArray(value)) return this.fail(this.path(name), 'type:array');
    return value as unknown[];
  }
}

export function checkString(value: unknown, field: string, rule: StringRule, violations: Violation[]): string | undefined {
  const fail = (reason: string): undefined => {
    violations.push({ field, reason });
    return undefined;
  };
  if (typeof value !== 'string') return fail('type:string');
  if (rule.enum && !rule.enum.includes(value)) return fail(`enum:${rule.enum.join('|')}`);
  const length = rule.minLength !== undefined || rule.maxLength !== undefined ? codePointLength(value) : 0;
  if (rule.minLength !== undefined && length < rule.minLength) return fail(`minLength:${rule.minLength}`);
  if (rule.maxLength !== undefined && length > rule.maxLength) return fail(`maxLength:${rule.maxLength}`);
  if (rule.pattern && !rule.pattern.test(value)) return fail('pattern');
  if (rule.format && !rule.format.test(value)) return fail(`format:${rule.format.name}`);
  return value;
}

export function checkInteger(value: unknown, field: string, rule: IntegerRule, violations: Violation[]): number | undefined {
  const fail = (reason: string): undefined => {
    violations.push({ field, reason });
    return undefined;
  };
  // Strings such as "19" are rejected: the producers send JSON numbers, and a quoted count is a bug.
  if (typeof value !== 'number' || !Number.isInteger(value)) return fail('type:integer');
  if (rule.minimum !== undefined && value < rule.minimum) return fail(`minimum:${rule.minimum}`);
  if (rule.maximum !== undefined && value > rule.maximum) return fail(`maximum:${rule.maximum}`);
  return value;
}
