// The legacy IAT per-feature attributes the CLI's batch mode keeps (nutrient.md §4.2,
// contracts.md §5.4): `id`, `Name`, `Dwel_Cat`, `Source`, `Dwellings`, or their snake_case forms
// `name`, `dwelling_category`, `source`, `dwellings`, which win when both exist. Names match
// case-insensitively; an exact spelling beats a case-insensitive one. Everything else is dropped.

import type { LegacyAttributes } from '../geo/types.js';

type TextField = 'id' | 'name' | 'dwellingCategory' | 'source';

/** Candidate column names per field, most preferred first. */
const COLUMNS: Record<TextField | 'dwellings', string[]> = {
  id: ['id'],
  name: ['name', 'Name'],
  dwellingCategory: ['dwelling_category', 'Dwel_Cat'],
  source: ['source', 'Source'],
  dwellings: ['dwellings', 'Dwellings'],
};

function lookup(properties: Record<string, unknown>, names: readonly string[]): { found: boolean; value: unknown } {
  const keys = Object.keys(properties);
  for (const name of names) {
    if (Object.hasOwn(properties, name)) return { found: true, value: properties[name] };
    const key = keys.find((k) => k.toLowerCase() === name.toLowerCase());
    if (key !== undefined) return { found: true, value: properties[key] };
  }
  return { found: false, value: undefined };
}

/** Text attributes: numbers become strings; empty or whitespace-only values become null. */
function text(value: unknown): string | null {
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value !== 'string') return null;
  return value.trim() === '' ? null : value;
}

/** The legacy attributes present on a feature; absent fields stay absent. */
export function pickLegacyAttributes(properties: Record<string, unknown> | null): LegacyAttributes {
  const out: LegacyAttributes = {};
  if (!properties) return out;
  for (const field of ['id', 'name', 'dwellingCategory', 'source'] as const) {
    const { found, value } = lookup(properties, COLUMNS[field]);
    if (found) out[field] = text(value);
  }
  const dwellings = lookup(properties, COLUMNS.dwellings);
  if (dwellings.found) out.dwellings = dwellings.value;
  return out;
}
