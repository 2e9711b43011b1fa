// The two string formats of the file-job table (contracts.md §2).

/** ≤ 254 chars is checked separately; here: one `@`, no whitespace, a dot in the domain. */
export function isDeveloperEmail(value: string): boolean {
  if (/\s/u.test(value)) return false;
  const at = value.indexOf('@');
  if (at <= 0 || value.indexOf('@', at + 1) !== -1) return false;
  const domain = value.slice(at + 1);
  return domain.includes('.');
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?([Zz]|([+-])(\d{2}):?(\d{2}))$/;

/**
 * Parses an ISO 8601 date-time that carries an offset or `Z` and names a real calendar instant.
 * Returns the instant as `YYYY-MM-DDTHH:mm:ss.sssZ`, or null. Local times without an offset are
 * refused: they would silently depend on the worker's time zone.
 */
export function parseOffsetDateTime(value: string): string | null {
  const match = DATE_TIME.exec(value);
  if (!match) return null;
  const [, y, mo, d, h, mi, s, fraction, zone, sign, oh, om] = match;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const hour = Number(h);
  const minute = Number(mi);
  const second = s === undefined ? 0 : Number(s);
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  if (hour > 23 || minute > 59 || second > 59) return null;
  let offsetMinutes = 0;
  if (zone !== 'Z' && zone !== 'z') {
    const offsetHours = Number(oh);
    const offsetMins = Number(om);
    if (offsetHours > 23 || offsetMins > 59) return null;
    offsetMinutes = (sign === '-' ? -1 : 1) * (offsetHours * 60 + offsetMins);
  }
  const millis = fraction === undefined ? 0 : Number(fraction.slice(0, 3).padEnd(3, '0'));
  const epoch = utc(year, month - 1, day, hour, minute, second, millis) - offsetMinutes * 60_000;
  const date = new Date(epoch);
  return Number.isNaN(date.getTime()) ? null : date.toISOString();
}

function daysInMonth(year: number, month: number): number {
  return new Date(utc(year, month, 0)).getUTCDate();
}

/** Date.UTC maps years 0–99 to 1900–1999; setUTCFullYear does not. */
function utc(year: number, monthIndex: number, day: number, hour = 0, minute = 0, second = 0, millis = 0): number {
  const date = new Date(Date.UTC(2000, monthIndex, day, hour, minute, second, millis));
  date.setUTCFullYear(year, monthIndex, day);
  return date.getTime();
}
