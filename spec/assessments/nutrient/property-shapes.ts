// fast-check arbitraries for the §12.7 property test: NN polygons and RLBs of every awkward kind
// (convex and concave, holes, MultiPolygons, slivers, edges lying on hexagon edges).

import fc from 'fast-check';
import type { MultiPolygon, Polygon, Position } from 'geojson';

export interface Box {
  minE: number;
  minN: number;
  maxE: number;
  maxN: number;
}

/** A star-shaped ring (simple by construction): k vertices at increasing angles, radii in [rMin, rMax]. */
function starRing(cx: number, cy: number, radii: readonly number[], jitters: readonly number[], rotation: number): Position[] {
  const k = radii.length;
  const ring = radii.map((r, i) => {
    const angle = rotation + ((i + (jitters[i] ?? 0.5)) / k) * 2 * Math.PI;
    return [cx + r * Math.cos(angle), cy + r * Math.sin(angle)];
  });
  return [...ring, ring[0] as Position];
}

const star = (cx: number, cy: number, rMin: number, rMax: number, minVertices = 3): fc.Arbitrary<Position[]> =>
  fc.integer({ min: minVertices, max: 12 }).chain((k) =>
    fc.tuple(
      fc.array(fc.double({ min: rMin, max: rMax, noNaN: true }), { minLength: k, maxLength: k }),
      fc.array(fc.double({ min: 0.1, max: 0.9, noNaN: true }), { minLength: k, maxLength: k }),
      fc.double({ min: 0, max: 2 * Math.PI, noNaN: true }),
    ).map(([radii, jitters, rotation]) => starRing(cx, cy, radii, jitters, rotation)));

const point = (box: Box, margin: number): fc.Arbitrary<[number, number]> =>
  fc.tuple(fc.double({ min: box.minE + margin, max: box.maxE - margin, noNaN: true }), fc.double({ min: box.minN + margin, max: box.maxN - margin, noNaN: true }));

/** NN polygons: stars of 200–1,350 m, some reaching over the box edge, named from two site names. */
export function nnPolygonArb(box: Box): fc.Arbitrary<{ name: string; geometry: Polygon }> {
  return fc.tuple(point(box, -300), fc.double({ min: 400, max: 900, noNaN: true }), fc.constantFrom('Site Alpha', 'Site Beta'))
    .chain(([[cx, cy], r, name]) => star(cx, cy, r * 0.5, r * 1.5, 5).map((ring) => ({ name, geometry: { type: 'Polygon' as const, coordinates: [ring] } })));
}

function rectangle(cx: number, cy: number, width: number, length: number, angle: number): Position[] {
  const [c, s] = [Math.cos(angle), Math.sin(angle)];
  const corners = [[-length / 2, -width / 2], [length / 2, -width / 2], [length / 2, width / 2], [-length / 2, width / 2]] as const;
  const ring = corners.map(([x, y]) => [cx + x * c - y * s, cy + x * s + y * c]);
  return [...ring, ring[0] as Position];
}

export type RlbKind = 'polygon' | 'holed' | 'multi' | 'sliver' | 'edge';

/**
 * One RLB. `edgeX` lists x coordinates of vertical hexagon edges inside the box (with their y
 * span), so an `edge` RLB can lie exactly against a cell edge.
 */
export function rlbArb(box: Box, edges: readonly { x: number; y0: number; y1: number }[]): fc.Arbitrary<{ kind: RlbKind; geometry: Polygon | MultiPolygon }> {
  const polygon = point(box, 200).chain(([cx, cy]) => star(cx, cy, 20, 180)).map((ring) => ({ kind: 'polygon' as const, geometry: { type: 'Polygon' as const, coordinates: [ring] } }));
  const holed = fc.tuple(point(box, 300), fc.double({ min: 60, max: 200, noNaN: true })).chain(([[cx, cy], r]) =>
    // 12 outer vertices keep every shell edge ≥ r·cos 27° ≈ 0.89 r from the centre, so the hole fits.
    fc.tuple(star(cx, cy, r, 1.5 * r, 12), star(cx, cy, 0.2 * r, 0.8 * r))).map(([outer, inner]) => ({ kind: 'holed' as const, geometry: { type: 'Polygon' as const, coordinates: [outer, inner] } }));
  const multi = fc.tuple(point(box, 200), fc.double({ min: 0, max: 2 * Math.PI, noNaN: true })).chain(([[cx, cy], angle]) => {
    const [dx, dy] = [Math.cos(angle) * 160, Math.sin(angle) * 160];
    return fc.tuple(star(cx - dx, cy - dy, 10, 70), star(cx + dx, cy + dy, 10, 70));
  }).map(([a, b]) => ({ kind: 'multi' as const, geometry: { type: 'MultiPolygon' as const, coordinates: [[a], [b]] } }));
  const sliver = fc.tuple(point(box, 300), fc.double({ min: 0.001, max: 0.5, noNaN: true }), fc.double({ min: 50, max: 500, noNaN: true }), fc.double({ min: 0, max: Math.PI, noNaN: true }))
    .map(([[cx, cy], w, l, a]) => ({ kind: 'sliver' as const, geometry: { type: 'Polygon' as const, coordinates: [rectangle(cx, cy, w, l, a)] } }));
  const kinds: fc.Arbitrary<{ kind: RlbKind; geometry: Polygon | MultiPolygon }>[] = [polygon, holed, multi, sliver];
  if (edges.length > 0) {
    kinds.push(fc.tuple(fc.constantFrom(...edges), fc.double({ min: 5, max: 150, noNaN: true }), fc.boolean()).map(([e, w, left]) => {
      const x0 = left ? e.x - w : e.x;
      const ring: Position[] = [[x0, e.y0], [x0 + w, e.y0], [x0 + w, e.y1], [x0, e.y1], [x0, e.y0]];
      return { kind: 'edge' as const, geometry: { type: 'Polygon' as const, coordinates: [ring] } };
    }));
  }
  return fc.oneof(...kinds);
}
