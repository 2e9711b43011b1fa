// The geometry pipeline every file-sourced layer goes through (nutrient.md §5.6 steps 1–2):
// WKB → COPY into a temp staging table → PostGIS: SRID, ST_Transform to 27700, ST_Force2D,
// repair of invalid geometry → `_ref_geom`, from which QC reads and the target insert selects.

import type { Tx } from '../versions.js';
import { copyBytea, copyField, copyInto } from '../copy.js';
import type { Attributes, FeatureSource } from '../readers/types.js';

export interface StageResult {
  rows: number;
  repaired: number;
  /** SRID declared by the source (null = none), and the SRID used. */
  crs: { declared: number | null; used: number; assumed: boolean };
  warnings: string[];
}

export interface StageOptions {
  /** Polygon layers extract polygons from repaired geometry; gcn_ponds keeps any type. */
  polygonal: boolean;
  /** Maps a feature's attributes before staging (coefficient columns are parsed here). */
  mapAttributes?: (attributes: Attributes, index: number) => Attributes;
  signal?: AbortSignal;
  onProgress?: (rows: number) => void;
}

// PostgreSQL text and jsonb cannot hold NUL or unpaired UTF-16 surrogates; a row the server
// rejects mid-COPY fails the whole load, so such characters become U+FFFD (and are counted).
// eslint-disable-next-line no-control-regex -- NUL is exactly what must be matched
const UNSTORABLE = /\u0000|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const UNSTORABLE_ALL = new RegExp(UNSTORABLE.source, 'g');

function storableJson(attributes: Attributes, onReplaced: () => void): string {
  return JSON.stringify(attributes, (_key, value: unknown) => {
    if (typeof value !== 'string' || !UNSTORABLE.test(value)) return value;
    onReplaced();
    return value.replace(UNSTORABLE_ALL, '\uFFFD');
  });
}

/** Creates `_ref_geom (idx, attributes, source_type, repaired, g)` for this transaction. */
export async function stageFeatures(tx: Tx, source: FeatureSource, options: StageOptions): Promise<StageResult> {
  const warnings: string[] = [];
  await tx.unsafe(`CREATE TEMP TABLE _ref_stage (idx bigint, srid int, wkb bytea, attributes jsonb) ON COMMIT DROP`);
  let assumed = false;
  let replaced = 0;
  const sridsSeen = new Set<number>();
  const mapAttributes = options.mapAttributes;
  const lines = async function* (): AsyncGenerator<string> {
    for await (const feature of source.features()) {
      let srid = feature.srid;
      if (srid === null) {
        assumed = true;
        srid = 27700;
      }
      sridsSeen.add(srid);
      const attributes = mapAttributes ? mapAttributes(feature.attributes, feature.index) : feature.attributes;
      // copyBytea is already COPY-escaped, so it is spliced in rather than passed through copyField.
      yield `${feature.index}\t${srid}\t${copyBytea(feature.wkb)}\t${copyField(storableJson(attributes, () => { replaced += 1; }))}\n`;
    }
  };
  const rows = await copyInto(tx, '_ref_stage (idx, srid, wkb, attributes)', lines(), { signal: options.signal, onProgress: options.onProgress });
  warnings.push(...source.warnings);
  if (assumed) warnings.push('CRS missing: coordinates assumed to be EPSG:27700');
  if (replaced > 0) warnings.push(`${replaced} text values held NUL or unpaired surrogate characters, stored as U+FFFD`);
  const transformed = [...sridsSeen].filter((s) => s !== 27700);
  if (transformed.length > 0) warnings.push(`transformed from EPSG:${transformed.join(', EPSG:')} to EPSG:27700 with ST_Transform`);

  const repair = options.polygonal ? 'ST_CollectionExtract(ST_MakeValid(g), 3)' : 'ST_MakeValid(g)';
  await tx.unsafe(`CREATE TEMP TABLE _ref_geom ON COMMIT DROP AS
    WITH parsed AS (
      SELECT idx, attributes, ST_Force2D(ST_Transform(ST_GeomFromWKB(wkb, srid), 27700)) AS g FROM _ref_stage
    ), checked AS (
      SELECT idx, attributes, g, ST_IsValid(g) AS valid FROM parsed
    )
    SELECT idx, attributes, GeometryType(g) AS source_type, NOT valid AS repaired,
      CASE WHEN valid THEN g ELSE ${repair} END AS g
    FROM checked`);
  await tx.unsafe(`DROP TABLE _ref_stage`);
  const [counts] = await tx.unsafe<{ repaired: number }[]>(`SELECT count(*) FILTER (WHERE repaired)::int AS repaired FROM _ref_geom`);
  const repaired = counts?.repaired ?? 0;
  if (repaired > 0) warnings.push(`${repaired} invalid geometries repaired with ST_MakeValid`);
  const declared = source.declaredSrid;
  return { rows, repaired, crs: { declared, used: 27700, assumed }, warnings };
}
