// The command table of bin/worker (names and flags fixed in ../DESIGN.md).

/** A command returns its exit status, or -1 when it owns the process exit itself. */
export type Command = (args: string[]) => Promise<number>;

const COMMANDS: Record<string, () => Promise<Command>> = {
  start: async () => (await import('./start.js')).startCommand,
  migrate: async () => (await import('./migrate.js')).migrateCommand,
  submit: async () => (await import('./submit.js')).submitCommand,
  demo: async () => (await import('./demo.js')).demoCommand,
  assess: async () => (await import('./assess.js')).assessCommand,
  'load-data': async () => (await import('./load-data.js')).loadDataCommand,
  'generate-coefficients': async () => (await import('./generate-coefficients.js')).generateCoefficientsCommand,
};

export function commandNames(): string[] {
  return ['start', 'migrate', 'load-data', 'generate-coefficients', 'assess', 'submit', 'demo'];
}

export async function loadCommand(name: string): Promise<Command | null> {
  const loader = COMMANDS[name];
  return loader ? loader() : null;
}
