// The pure part of the GCN tables (gcn.md §6.4–6.5): CONCATENATE_RZ, MaxZone, grouping into
// FREQUENCY rows and the code-point ordering every table uses. No I/O here.

import type { FrequencyRow, FrequencySplitRow, Pans, PondIntermediate, TmpImp, UnitArea, Zone } from './types.js';

/** Code-point order (what `a < b` gives for BMP text, and right for astral characters too). */
export function compareCodePoints(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  const n = Math.min(x.length, y.length);
  for (let i = 0; i < n; i += 1) {
    const d = (x[i]?.codePointAt(0) ?? 0) - (y[i]?.codePointAt(0) ?? 0);
    if (d !== 0) return d < 0 ? -1 : 1;
  }
  return x.length === y.length ? 0 : x.length < y.length ? -1 : 1;
}

/** F2: distinct zone names sorted by code point, joined with `:`; null when the pond touches none. */
export function concatenateZones(zones: readonly string[]): string | null {
  if (zones.length === 0) return null;
  return [...new Set(zones)].sort(compareCodePoints).join(':');
}

/** F3: Red > Amber > Green. S7 guarantees the domain, so anything else means no zone. */
export function maxZone(zones: readonly string[]): Zone | null {
  if (zones.includes('Red')) return 'Red';
  if (zones.includes('Amber')) return 'Amber';
  if (zones.includes('Green')) return 'Green';
  return null;
}

export interface ClassifiedPond {
  area: UnitArea;
  seq: number;
  pans: Pans;
  tmpImp: TmpImp;
  zones: readonly string[];
  edpName: string | null;
}

/** The debug view of one pond (gcn.md §7.1 `intermediates.ponds`). */
export function pondIntermediate(pond: ClassifiedPond): PondIntermediate {
  const zone = maxZone(pond.zones);
  return {
    Pond_ID: `${pond.area === 'RLB' ? 'RLB' : 'BUF'}_${pond.seq}`,
    PANS: pond.pans,
    TmpImp: pond.tmpImp,
    Area: pond.area,
    CONCATENATE_RZ: concatenateZones(pond.zones),
    MaxZone: zone,
    EDPName: zone === null ? null : pond.edpName ?? '',
  };
}

function compareKeys(a: readonly string[], b: readonly string[]): number {
  for (let i = 0; i < a.length; i += 1) {
    const d = compareCodePoints(a[i] ?? '', b[i] ?? '');
    if (d !== 0) return d;
  }
  return 0;
}

function countBy<K extends readonly string[]>(keys: K[]): { key: K; count: number }[] {
  const groups = new Map<string, { key: K; count: number }>();
  for (const key of keys) {
    const id = JSON.stringify(key);
    const group = groups.get(id);
    if (group) group.count += 1;
    else groups.set(id, { key, count: 1 });
  }
  return [...groups.values()].sort((a, b) => compareKeys(a.key, b.key));
}

export interface FrequencyTables {
  frequency: FrequencyRow[];
  frequencySplit: FrequencySplitRow[];
  /** F4: ponds touching no risk-zone piece (left out of every count). */
  withoutRiskZone: number;
  /** §6.5 step 3: matched ponds assigned `EDPName = ""`. */
  outsideEdp: number;
}

/** F4–F6 and §6.5 step 4: group matched ponds, unsplit and split, in code-point key order. */
export function frequencyTables(ponds: readonly ClassifiedPond[]): FrequencyTables {
  const unsplit: [Pans, UnitArea, Zone, TmpImp][] = [];
  const split: [Pans, UnitArea, Zone, TmpImp, string][] = [];
  let withoutRiskZone = 0;
  let outsideEdp = 0;
  for (const pond of ponds) {
    const zone = maxZone(pond.zones);
    if (zone === null) {
      withoutRiskZone += 1;
      continue;
    }
    const edpName = pond.edpName ?? '';
    if (pond.edpName === null) outsideEdp += 1;
    unsplit.push([pond.pans, pond.area, zone, pond.tmpImp]);
    split.push([pond.pans, pond.area, zone, pond.tmpImp, edpName]);
  }
  return {
    frequency: countBy(unsplit).map(({ key: [PANS, Area, MaxZone, TmpImp], count }) => ({ PANS, Area, MaxZone, TmpImp, FREQUENCY: count })),
    frequencySplit: countBy(split).map(({ key: [PANS, Area, MaxZone, TmpImp, EDPName], count }) => ({ PANS, Area, MaxZone, TmpImp, EDPName, FREQUENCY: count })),
    withoutRiskZone,
    outsideEdp,
  };
}
