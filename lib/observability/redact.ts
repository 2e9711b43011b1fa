// Personal data and secrets never reach a log line (operations.md §4.4).

const SECRET_KEY = /(api[-_]?key|authori[sz]ation|password|passwd|secret|token|cookie)/i;
const GEOMETRY_KEY = /^(coordinates|geometry|boundaryGeojson|boundaryGeometry.*)$/;
const EMAIL = /([A-Za-z0-9._%+-])[A-Za-z0-9._%+-]*@([A-Za-z0-9.-]+\.[A-Za-z]{2,})/g;
const NOTIFY_KEY = /[A-Za-z0-9_-]+-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}-[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi;
const URL_CREDENTIALS = /\b([a-z][a-z0-9+.-]*:\/\/)([^:@/\s]+):([^@/\s]+)@/gi;

/** Masks e-mail addresses, Notify keys and URL credentials inside free text. */
export function redactText(text: string): string {
  return text
    .replace(NOTIFY_KEY, '***')
    .replace(URL_CREDENTIALS, '$1$2:***@')
    .replace(EMAIL, (_m, first: string, domain: string) => `${first}***@${domain}`);
}

/** Summarises a geometry-like value instead of logging coordinates. */
function summariseGeometry(value: unknown): unknown {
  if (value && typeof value === 'object') {
    const type = (value as { type?: unknown }).type;
    let vertices = 0;
    const walk = (v: unknown): void => {
      if (Array.isArray(v)) {
        if (v.length >= 2 && typeof v[0] === 'number') vertices += 1;
        else v.forEach(walk);
      } else if (v && typeof v === 'object') Object.values(v).forEach(walk);
    };
    walk(value);
    return { type: typeof type === 'string' ? type : 'unknown', vertices };
  }
  return '[geometry]';
}

/** Deep copy with secrets, e-mails and geometry replaced. Bounded depth keeps it cheap. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (SECRET_KEY.test(key)) out[key] = v === null || v === undefined ? v : '***';
    else if (GEOMETRY_KEY.test(key)) out[key] = summariseGeometry(v);
    else out[key] = redact(v, depth + 1);
  }
  return out;
}
