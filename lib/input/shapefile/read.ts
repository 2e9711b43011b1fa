// Decoding a shapefile bundle from memory with the `shapefile` package (no temp files): CRS from
// the `.prj` first (§5.6, before any geometry work), then a strict structural walk, then the
// records. Any read failure is `unreadable_geometry_file` (contracts.md §5.4).

import * as shapefile from 'shapefile';
import { resolvePrj } from '../crs/prj.js';
import { inputError } from '../errors.js';
import type { DecodedLayer, FeatureRecord } from '../features.js';
import type { ShapefileBundle } from './bundle.js';
import { dbfEncoding } from './encoding.js';
import { checkShapefileStructure } from './structure.js';

export async function decodeShapefile(bundle: ShapefileBundle, signal: AbortSignal): Promise<DecodedLayer> {
  const crs = resolvePrj(bundle.prj);
  const structure = checkShapefileStructure(bundle.shp, bundle.shx, bundle.dbf);
  const encoding = dbfEncoding(bundle.cpg, bundle.dbf);
  const features: FeatureRecord[] = [];
  try {
    const source = await shapefile.open(structure.shp, bundle.dbf, { encoding });
    for (;;) {
      signal.throwIfAborted();
      const next = await source.read();
      if (next.done) break;
      features.push({
        index: features.length,
        geometry: next.value.geometry,
        properties: next.value.properties,
      });
    }
  } catch (error) {
    if (signal.aborted) throw error;
    throw inputError('unreadable_geometry_file', { part: '.shp', reason: 'decode_failed' }, error);
  }
  if (features.length !== structure.records) {
    throw inputError('unreadable_geometry_file', { part: '.shp', reason: 'records_skipped', records: structure.records, decoded: features.length });
  }
  return { features, crs };
}
