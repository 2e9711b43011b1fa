// A small parser for OGC WKT (WKT 1 and WKT 2 share the `KEYWORD[arg, …]` grammar; WKT 1 also
// allows parentheses). It builds a tree and nothing more; prj.ts decides what the tree means.

export type WktValue = string | number | WktNode | { identifier: string };

export interface WktNode {
  keyword: string;
  args: WktValue[];
}

export class WktSyntaxError extends Error {
  override name = 'WktSyntaxError';
}

const OPEN = new Set(['[', '(']);
const CLOSE: Record<string, string> = { '[': ']', '(': ')' };
const MAX_DEPTH = 64;

class Cursor {
  at = 0;
  constructor(readonly text: string) {}

  skipSpace(): void {
    const space = /\s*/y;
    space.lastIndex = this.at;
    space.exec(this.text);
    this.at = space.lastIndex;
  }

  peek(): string {
    this.skipSpace();
    return this.text[this.at] ?? '';
  }

  expect(char: string): void {
    if (this.peek() !== char) throw new WktSyntaxError(`expected '${char}' at ${this.at}`);
    this.at += 1;
  }

  /** Matches a sticky pattern at the cursor (no slicing: linear in the text length). */
  match(pattern: RegExp, what: string): string {
    this.skipSpace();
    pattern.lastIndex = this.at;
    const found = pattern.exec(this.text);
    if (!found) throw new WktSyntaxError(`expected ${what} at ${this.at}`);
    this.at += found[0].length;
    return found[0];
  }

  word(): string {
    return this.match(/[A-Za-z_][A-Za-z0-9_]*/y, 'a keyword');
  }

  quoted(): string {
    this.expect('"');
    let out = '';
    for (;;) {
      const char = this.text[this.at];
      if (char === undefined) throw new WktSyntaxError('unterminated string');
      this.at += 1;
      if (char !== '"') out += char;
      else if (this.text[this.at] === '"') { out += '"'; this.at += 1; } // "" escapes a quote
      else return out;
    }
  }

  number(): number {
    return Number(this.match(/[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?/y, 'a number'));
  }
}

function parseNode(cursor: Cursor, depth: number): WktNode {
  if (depth > MAX_DEPTH) throw new WktSyntaxError('nesting too deep');
  const keyword = cursor.word().toUpperCase();
  const open = cursor.peek();
  if (!OPEN.has(open)) throw new WktSyntaxError(`expected '[' after ${keyword}`);
  cursor.at += 1;
  const args: WktValue[] = [];
  if (cursor.peek() !== CLOSE[open]) {
    for (;;) {
      args.push(parseValue(cursor, depth));
      if (cursor.peek() !== ',') break;
      cursor.at += 1;
    }
  }
  cursor.expect(CLOSE[open] ?? ']');
  return { keyword, args };
}

function parseValue(cursor: Cursor, depth: number): WktValue {
  const next = cursor.peek();
  if (next === '"') return cursor.quoted();
  if (/[-+.\d]/.test(next)) return cursor.number();
  const start = cursor.at;
  const word = cursor.word();
  if (OPEN.has(cursor.peek())) {
    cursor.at = start;
    return parseNode(cursor, depth + 1);
  }
  return { identifier: word }; // e.g. AXIS["Easting",EAST]
}

/** Parses one WKT CRS; throws WktSyntaxError when the text is not WKT. */
export function parseWkt(text: string): WktNode {
  const cursor = new Cursor(text);
  const node = parseNode(cursor, 0);
  cursor.skipSpace();
  if (cursor.at !== text.length) throw new WktSyntaxError(`trailing text at ${cursor.at}`);
  return node;
}

export function children(node: WktNode, ...keywords: string[]): WktNode[] {
  return node.args.filter((a): a is WktNode => typeof a === 'object' && 'keyword' in a && keywords.includes(a.keyword));
}

export function child(node: WktNode, ...keywords: string[]): WktNode | undefined {
  return children(node, ...keywords)[0];
}

/** The node's first argument when it is a quoted name. */
export function nameOf(node: WktNode | undefined): string | null {
  const first = node?.args[0];
  return typeof first === 'string' ? first : null;
}

/** Lower-case alphanumerics only: `D_OSGB_1936`, `OSGB 1936` and `osgb1936` compare equal. */
export function squash(text: string): string {
  return text.toLowerCase().replace(/[^a-z0-9]/g, '');
}
