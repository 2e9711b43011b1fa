// Traversals over GeoJSON geometries used by the closure, range and projection passes.

import type { Geometry, Position } from 'geojson';

/** Calls `visit` for every polygon (its rings), including those inside GeometryCollections. */
export function forEachPolygon(geometry: Geometry, visit: (rings: Position[][], partIndex: number) => void): void {
  let part = 0;
  const walk = (g: Geometry): void => {
    if (g.type === 'Polygon') visit(g.coordinates, part++);
    else if (g.type === 'MultiPolygon') for (const rings of g.coordinates) visit(rings, part++);
    else if (g.type === 'GeometryCollection') g.geometries.forEach(walk);
  };
  walk(geometry);
}

/** Calls `visit` for every position; stops early when it returns false. */
export function everyPosition(geometry: Geometry, visit: (position: Position) => boolean): boolean {
  switch (geometry.type) {
    case 'Point':
      return geometry.coordinates.length === 0 || visit(geometry.coordinates);
    case 'MultiPoint':
    case 'LineString':
      return geometry.coordinates.every(visit);
    case 'MultiLineString':
    case 'Polygon':
      return geometry.coordinates.every((line) => line.every(visit));
    case 'MultiPolygon':
      return geometry.coordinates.every((rings) => rings.every((ring) => ring.every(visit)));
    case 'GeometryCollection':
      return geometry.geometries.every((g) => everyPosition(g, visit));
  }
}

/** A copy of `geometry` with every position replaced by `map(position)`. */
export function mapPositions<G extends Geometry>(geometry: G, map: (position: Position) => Position): G {
  const g = geometry;
  switch (g.type) {
    case 'Point':
      return { type: 'Point', coordinates: g.coordinates.length === 0 ? [] : map(g.coordinates) } as G;
    case 'MultiPoint':
    case 'LineString':
      return { type: g.type, coordinates: g.coordinates.map(map) } as G;
    case 'MultiLineString':
    case 'Polygon':
      return { type: g.type, coordinates: g.coordinates.map((line) => line.map(map)) } as G;
    case 'MultiPolygon':
      return { type: 'MultiPolygon', coordinates: g.coordinates.map((rings) => rings.map((ring) => ring.map(map))) } as G;
    case 'GeometryCollection':
      return { type: 'GeometryCollection', geometries: g.geometries.map((m) => mapPositions(m, map)) } as G;
  }
}
