// A small Dockerfile reader for the packaging specs: enough of the syntax to check our own file
// (continuation lines, comments, global ARG defaults, stages, flags, exec form), no more. There is
// no Docker engine on developer or CI machines (operations.md §7), so the image's shape is
// asserted statically and the build stage's commands are replayed in spec/packaging/build.test.ts.

import { readFileSync } from 'node:fs';
import path from 'node:path';
import { REPO_ROOT } from '../support/data.js';

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuation lines joined with a space. */
  args: string;
  line: number;
}

export interface Stage {
  name: string | null;
  /** The FROM image with global ARG defaults substituted. */
  from: string;
  instructions: Instruction[];
}

export interface Dockerfile {
  globalArgs: Map<string, string>;
  stages: Stage[];
}

export function readDockerfile(file = path.join(REPO_ROOT, 'Dockerfile')): Dockerfile {
  return parseDockerfile(readFileSync(file, 'utf8'));
}

export function parseDockerfile(text: string): Dockerfile {
  const globalArgs = new Map<string, string>();
  const stages: Stage[] = [];
  for (const instruction of logicalLines(text)) {
    const current = stages.at(-1);
    if (instruction.keyword === 'FROM') {
      const [image = '', as, name] = instruction.args.split(/\s+/);
      stages.push({ name: as?.toUpperCase() === 'AS' ? (name ?? null) : null, from: substitute(image, globalArgs), instructions: [] });
    } else if (!current && instruction.keyword === 'ARG') {
      const [key = '', ...value] = instruction.args.split('=');
      globalArgs.set(key.trim(), value.join('=').trim());
    } else if (current) {
      current.instructions.push(instruction);
    }
  }
  return { globalArgs, stages };
}

function logicalLines(text: string): Instruction[] {
  const out: Instruction[] = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trim();
    // Comment lines (and parser directives) are dropped, even inside a continued instruction.
    if (line === '' || line.startsWith('#')) return;
    if (buffer === '') start = index + 1;
    const continued = line.endsWith('\\');
    buffer += `${buffer ? ' ' : ''}${continued ? line.slice(0, -1).trim() : line}`;
    if (continued) return;
    const match = /^(\S+)\s*(.*)$/.exec(buffer);
    if (match) out.push({ keyword: (match[1] ?? '').toUpperCase(), args: match[2] ?? '', line: start });
    buffer = '';
  });
  return out;
}

function substitute(value: string, args: Map<string, string>): string {
  return value.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, braced: string | undefined, bare: string | undefined) => args.get(braced ?? bare ?? '') ?? '');
}

export function stage(dockerfile: Dockerfile, name: string): Stage {
  const found = dockerfile.stages.find((s) => s.name === name);
  if (!found) throw new Error(`Dockerfile has no stage "${name}"`);
  return found;
}

export function instructions(s: Stage, keyword: string): Instruction[] {
  return s.instructions.filter((i) => i.keyword === keyword);
}

/** Leading `--name=value` flags and the remaining words. */
export function splitFlags(args: string): { flags: Map<string, string>; words: string[] } {
  const flags = new Map<string, string>();
  const words = args.split(/\s+/).filter(Boolean);
  while (words[0]?.startsWith('--')) {
    const [key = '', value = ''] = (words.shift() ?? '').slice(2).split('=');
    flags.set(key, value);
  }
  return { flags, words };
}

/** The JSON array of an exec-form instruction, or null for shell form. */
export function execForm(args: string): string[] | null {
  if (!args.trim().startsWith('[')) return null;
  const parsed: unknown = JSON.parse(args);
  return Array.isArray(parsed) && parsed.every((x) => typeof x === 'string') ? parsed : null;
}

export interface Copy {
  from: string | null;
  chown: string | null;
  sources: string[];
  dest: string;
}

export function copies(s: Stage): Copy[] {
  return instructions(s, 'COPY').map((i) => {
    const { flags, words } = splitFlags(i.args);
    const dest = words.pop() ?? '';
    return { from: flags.get('from') ?? null, chown: flags.get('chown') ?? null, sources: words, dest };
  });
}

/** `.dockerignore` as used here: `*` first, then `!path` exceptions (an allowlist). */
export function dockerignoreAdmits(ignoreText: string, contextPath: string): boolean {
  const rules = ignoreText.split('\n').map((l) => l.trim()).filter((l) => l && !l.startsWith('#'));
  const target = contextPath.replace(/^\.\//, '').replace(/\/$/, '');
  let admitted = true;
  for (const rule of rules) {
    const negated = rule.startsWith('!');
    const pattern = (negated ? rule.slice(1) : rule).replace(/\/$/, '');
    const matches = pattern === '*' || target === pattern || target.startsWith(`${pattern}/`);
    if (matches) admitted = negated;
  }
  return admitted;
}
