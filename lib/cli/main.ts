// `bin/worker COMMAND …` dispatch. Each command lives in its own module and is imported lazily,
// so `start` never loads assessment code into the primary and `assess` never starts a cluster.

import { commandNames, loadCommand } from './commands.js';

const [name, ...args] = process.argv.slice(2);

async function main(): Promise<number> {
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(`Usage: bin/worker <command> [options]\n\nCommands:\n${commandNames().map((n) => `  ${n}`).join('\n')}\n`);
    return name ? 0 : 64;
  }
  const command = await loadCommand(name);
  if (!command) {
    process.stderr.write(`Unknown command "${name}". Commands: ${commandNames().join(', ')}\n`);
    return 64;
  }
  return command(args);
}

main().then(
  (code) => {
    // `start` manages its own exit; every other command ends here with its status.
    if (code >= 0) process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  },
);
