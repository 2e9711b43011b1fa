// The gcn.md §10.1 comparison rules: habitat as a multiset grouped by (Area, RZ), sorted by
// Shape_Area and paired in order with a strict relative tolerance; frequency rows identical.

export interface HabitatLike {
  Area: string;
  RZ: string;
  Shape_Area: number;
}

export interface FrequencyLike {
  PANS: string;
  Area: string;
  MaxZone: string;
  TmpImp: string;
  FREQUENCY: number;
}

function groups(rows: readonly HabitatLike[]): Map<string, number[]> {
  const out = new Map<string, number[]>();
  for (const row of rows) {
    const key = `${row.Area}|${row.RZ}`;
    out.set(key, [...(out.get(key) ?? []), row.Shape_Area]);
  }
  for (const list of out.values()) list.sort((a, b) => a - b);
  return out;
}

/** Every violation of the §10.1 habitat rule (empty = pass); also reports the worst relative diff. */
export function compareHabitat(result: readonly HabitatLike[], baseline: readonly HabitatLike[], tolerance = 0.001): { problems: string[]; worst: number } {
  const problems: string[] = [];
  let worst = 0;
  if (result.length !== baseline.length) problems.push(`row count ${result.length} ≠ baseline ${baseline.length}`);
  const got = groups(result);
  const want = groups(baseline);
  for (const key of new Set([...got.keys(), ...want.keys()])) {
    const a = got.get(key) ?? [];
    const b = want.get(key) ?? [];
    if (a.length !== b.length) {
      problems.push(`${key}: ${a.length} rows ≠ baseline ${b.length}`);
      continue;
    }
    b.forEach((expected, i) => {
      const actual = a[i] ?? Number.NaN;
      const rel = Math.abs(actual - expected) / expected;
      worst = Math.max(worst, rel);
      if (!(rel < tolerance)) problems.push(`${key} #${i}: ${actual} vs ${expected} (rel ${rel})`);
    });
  }
  return { problems, worst };
}

export function frequencyMultiset(rows: readonly FrequencyLike[]): string[] {
  return rows.map((r) => `${r.PANS}|${r.Area}|${r.MaxZone}|${r.TmpImp}|${r.FREQUENCY}`).sort();
}

/** PSV records (strings) → habitat rows. */
export function habitatFromPsv(rows: readonly Record<string, string>[]): HabitatLike[] {
  return rows.map((r) => ({ Area: r.Area ?? '', RZ: r.RZ ?? '', Shape_Area: Number(r.Shape_Area) }));
}

export function frequencyFromPsv(rows: readonly Record<string, string>[]): FrequencyLike[] {
  return rows.map((r) => ({ PANS: r.PANS ?? '', Area: r.Area ?? '', MaxZone: r.MaxZone ?? '', TmpImp: r.TmpImp ?? '', FREQUENCY: Number.parseInt(r.FREQUENCY ?? '', 10) }));
}
