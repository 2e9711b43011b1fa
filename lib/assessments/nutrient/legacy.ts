// Legacy replay (nutrient.md §4.2): per-feature IAT attributes, `--dwellings` for features without
// a count, and `legacy_attribute_missing` naming the feature when neither is there.

import { jobError } from '../../errors.js';
import type { Site } from '../../geo/types.js';
import type { RlbAttributes } from './types.js';

type RlbDescription = Omit<RlbAttributes, 'rlbId'>;

/** An integer ≥ 0 from a DBF/GeoJSON value (`12`, `12.0`, `"12"`), else null. */
export function legacyDwellings(value: unknown): number | null {
  let n: number | null = null;
  if (typeof value === 'number') n = value;
  else if (typeof value === 'string' && /^\s*\+?\d+(\.0*)?\s*$/.test(value)) n = Number(value);
  return n !== null && Number.isSafeInteger(n) && n >= 0 ? n : null;
}

function text(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  const s = typeof value === 'string' ? value : typeof value === 'number' || typeof value === 'bigint' ? String(value) : null;
  return s === null || s.trim() === '' ? null : s;
}

export function legacyDescriber(cliDwellings: number | null): (site: Site) => RlbDescription {
  return (site) => {
    const attrs = site.attributes ?? {};
    const dwellings = legacyDwellings(attrs.dwellings) ?? cliDwellings;
    if (dwellings === null) {
      throw jobError('legacy_attribute_missing', { featureIndex: site.sourceFeature, rlbId: site.rlbId, field: 'Dwellings' });
    }
    return {
      id: text(attrs.id),
      name: text(attrs.name),
      dwellingCategory: text(attrs.dwellingCategory),
      source: text(attrs.source),
      dwellings,
    };
  };
}
