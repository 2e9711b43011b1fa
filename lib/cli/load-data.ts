// `bin/worker load-data PATH... [--activate]`: loads reference files as new versions, runs QC and
// (with --activate, only when every table passed) moves the active pointers atomically.
// Progress and summaries go to stderr; the JSON load reports to stdout.

import { loadConfig } from '../config.js';
import { createSql } from '../db/sql.js';
import { loadReferenceFiles } from '../reference/loader.js';
import { describeFailures } from '../reference/report.js';
import { ReaderError } from '../reference/readers/types.js';
import { parseArgs, reportConfigError } from './common.js';

const USAGE = 'Usage: bin/worker load-data PATH... [--activate]   (PATH may be TABLE=PATH)\n';

export async function loadDataCommand(args: string[]): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs(args, ['activate', 'help']);
  } catch (error) {
    process.stderr.write(`${(error as Error).message}\n${USAGE}`);
    return 64;
  }
  if (parsed.flags.has('help') || parsed.positional.length === 0) {
    process.stderr.write(USAGE);
    return parsed.flags.has('help') ? 0 : 64;
  }
  const unknown = [...parsed.flags.keys()].filter((k) => k !== 'activate');
  if (unknown.length > 0) {
    process.stderr.write(`Unknown option --${unknown.join(', --')}\n${USAGE}`);
    return 64;
  }
  const config = reportConfigError(() => loadConfig(process.env, { role: 'cli', optional: ['SQS_QUEUE_URL', 'AWS_S3_INPUT_BUCKET', 'BACKEND_BASE_URL'] }));
  if (!config) return 78;
  const sql = createSql(config.db, { applicationName: 'nrf-impact-worker/load-data', max: 2 });
  const log = (line: string): void => void process.stderr.write(`load-data: ${line}\n`);
  try {
    const activate = parsed.flags.has('activate');
    let reports;
    try {
      reports = await loadReferenceFiles(sql, parsed.positional, { activate, log });
    } catch (error) {
      // A file we cannot read or place is the operator's input problem (EX_DATAERR), not a crash.
      if (!(error instanceof ReaderError)) throw error;
      log(error.message);
      return 65;
    }
    process.stdout.write(`${JSON.stringify(reports, null, 2)}\n`);
    const failures = describeFailures(reports);
    for (const failure of failures) log(`QC: ${failure}`);
    if (failures.length > 0 || reports.some((r) => !r.qcPassed)) return 1;
    if (activate && reports.some((r) => !r.activated)) return 1;
    return 0;
  } finally {
    await sql.end({ timeout: 5 });
  }
}
