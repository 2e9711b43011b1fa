// Human log format for local runs: `HH:MM:SS.mmm LEVEL [w1 poll] message key=value …`.

import { redactField, redactText } from './redact.js';
import type { LogContext } from './context.js';

const LEVELS: Record<number, string> = { 10: 'TRACE', 20: 'DEBUG', 30: 'INFO ', 40: 'WARN ', 50: 'ERROR', 60: 'FATAL' };
const SKIP = new Set(['time', 'level', 'msg', 'name', 'hostname', 'pid', 'v', 'component', 'err', 'traceId', 'jobKey', 'jobKind', 'messageId', 'receiveCount']);

export class PrettyStream {
  constructor(private readonly opts: { worker: string; out: NodeJS.WritableStream; context?: () => LogContext | undefined }) {}

  write(raw: object): void {
    const record = raw as Record<string, unknown>;
    const time = record.time instanceof Date ? record.time : new Date();
    const hhmmss = time.toISOString().slice(11, 23);
    const who = this.opts.worker === 'primary' ? 'primary' : `w${this.opts.worker}`;
    const component = typeof record.component === 'string' ? ` ${record.component}` : '';
    // Records logged through the root logger inside a job still show the job's trace id.
    const traceId = typeof record.traceId === 'string' ? record.traceId : this.opts.context?.()?.current()?.traceId;
    const trace = traceId ? ` (${traceId.slice(0, 8)})` : '';
    const extras = Object.entries(record)
      .filter(([k]) => !SKIP.has(k))
      .map(([k, v]) => { const safe = redactField(k, v); return `${k}=${typeof safe === 'string' ? safe : JSON.stringify(safe)}`; })
      .join(' ');
    let line = `${hhmmss} ${LEVELS[record.level as number] ?? 'INFO '} [${who}${component}]${trace} ${redactText((typeof record.msg === 'string' ? record.msg : ''))}${extras ? ` ${extras}` : ''}`;
    if (record.err instanceof Error) line += `\n${record.err.stack ?? record.err.message}`;
    this.opts.out.write(`${line}\n`);
  }
}
