// Planar helpers over GeoJSON-style coordinates (EPSG:27700 metres). Areas are the shoelace
// formula: the same planar measure PostGIS ST_Area gives in a projected CRS.

import type { MultiPolygon, Polygon, Position } from 'geojson';

/** The polygons of a Polygon or MultiPolygon, as ring lists. */
export function polygonsOf(geometry: Polygon | MultiPolygon): Position[][][] {
  return geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
}

/** Shoelace sum over a closed ring; positive when anticlockwise (x east, y north). */
export function ringSignedArea(ring: readonly Position[]): number {
  const origin = ring[0];
  if (!origin) return 0;
  // Centred on the first vertex: BNG coordinates are ~10^5 m and the differences keep precision.
  const [x0 = 0, y0 = 0] = origin;
  let twice = 0;
  for (let i = 1; i < ring.length; i += 1) {
    const [ax = 0, ay = 0] = ring[i - 1] as Position;
    const [bx = 0, by = 0] = ring[i] as Position;
    twice += (ax - x0) * (by - y0) - (bx - x0) * (ay - y0);
  }
  return twice / 2;
}

/** Exterior area minus holes, summed over parts (m² for EPSG:27700). */
export function planarArea(geometry: Polygon | MultiPolygon): number {
  let area = 0;
  for (const rings of polygonsOf(geometry)) {
    rings.forEach((ring, index) => {
      const a = Math.abs(ringSignedArea(ring));
      area += index === 0 ? a : -a;
    });
  }
  return area;
}

export function samePosition(a: Position, b: Position): boolean {
  return a[0] === b[0] && a[1] === b[1];
}
