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

/** Planar ring area by the shoelace formula (absolute). */
function ringArea(ring: number[][]): number {
  let sum = 0;
  for (let i = 0; i < ring.length; i += 1) {
    const [x1 = 0, y1 = 0] = ring[i] ?? [];
    const [x2 = 0, y2 = 0] = ring[(i + 1) % ring.length] ?? [];
    sum += x1 * y2 - x2 * y1;
  }
  return Math.abs(sum) / 2;
}

/** Polygon area: outer ring minus holes; MultiPolygon: the sum of its polygons. */
function polygonsArea(type: unknown, coordinates: unknown): number | null {
  const polygons = type === 'Polygon' ? [coordinates] : type === 'MultiPolygon' ? (coordinates as unknown[]) : null;
  if (!Array.isArray(polygons)) return null;
  let total = 0;
  for (const polygon of polygons) {
    if (!Array.isArray(polygon)) return null;
    (polygon as number[][][]).forEach((ring, i) => {
      total += (i === 0 ? 1 : -1) * ringArea(ring);
    });
  }
  return total;
}

/**
 * Summarises a geometry-like value instead of logging coordinates (operations.md §4.4):
 * `{type, vertices, bbox, areaHa}`. The area is planar, so it is given only for projected
 * coordinates (British National Grid metres); lon/lat input gets `areaHa: null`.
 */
export function summariseGeometry(value: unknown): unknown {
  if (!value || typeof value !== 'object') return '[geometry]';
  const type = (value as { type?: unknown }).type;
  const coordinates = (value as { coordinates?: unknown }).coordinates ?? value;
  let vertices = 0;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  const walk = (v: unknown, depth: number): void => {
    if (depth > 8 || !v || typeof v !== 'object') return;
    if (Array.isArray(v)) {
      if (v.length >= 2 && typeof v[0] === 'number' && typeof v[1] === 'number') {
        vertices += 1;
        minX = Math.min(minX, v[0]);
        maxX = Math.max(maxX, v[0]);
        minY = Math.min(minY, v[1]);
        maxY = Math.max(maxY, v[1]);
      } else v.forEach((item) => walk(item, depth + 1));
    } else Object.values(v).forEach((item) => walk(item, depth + 1));
  };
  walk(coordinates, 0);
  const bbox = vertices > 0 ? [minX, minY, maxX, maxY] : null;
  const projected = bbox !== null && bbox.some((n) => Math.abs(n) > 180);
  const area = projected ? polygonsArea(type, coordinates) : null;
  return { type: typeof type === 'string' ? type : 'unknown', vertices, bbox, areaHa: area === null ? null : Math.round(area / 100) / 100 };
}

/** Deep copy with secrets, e-mails and geometry replaced. Bounded depth keeps it cheap. */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 6) return value;
  if (value instanceof Error) return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) out[key] = redactField(key, v, depth + 1);
  return out;
}

/** One named value: secret keys masked, geometry summarised, anything else redacted deeply. */
export function redactField(key: string, value: unknown, depth = 0): unknown {
  if (SECRET_KEY.test(key)) return value === null || value === undefined ? value : '***';
  if (GEOMETRY_KEY.test(key)) return summariseGeometry(value);
  return redact(value, depth);
}
