// Helpers shared by the CLI commands: config errors, flag parsing.

import { ConfigError } from '../config.js';

/** Runs the config loader; on ConfigError prints every problem and returns null (exit 78). */
export function reportConfigError<T>(load: () => T): T | null {
  try {
    return load();
  } catch (error) {
    if (!(error instanceof ConfigError)) throw error;
    process.stderr.write(`Configuration invalid:\n${error.problems.map((p) => `  ${p}`).join('\n')}\n`);
    return null;
  }
}

export interface ParsedArgs {
  positional: string[];
  flags: Map<string, string | true>;
}

/** `--name value`, `--name=value` and boolean `--flag` (when listed in `booleans`). */
export function parseArgs(args: string[], booleans: readonly string[] = []): ParsedArgs {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i] ?? '';
    if (!arg.startsWith('--')) {
      positional.push(arg);
      continue;
    }
    const eq = arg.indexOf('=');
    const key = arg.slice(2, eq === -1 ? undefined : eq);
    if (eq !== -1) flags.set(key, arg.slice(eq + 1));
    else if (booleans.includes(key)) flags.set(key, true);
    else {
      const value = args[i + 1];
      if (value === undefined || value.startsWith('--')) throw new Error(`--${key} needs a value`);
      flags.set(key, value);
      i += 1;
    }
  }
  return { positional, flags };
}
