// GeoJSON → 2D little-endian WKB (hex), the form inputs travel to PostGIS in (gcn.md §6: "inputs
// arrive as WKB parameters"). Doubles are copied bit for bit, so nothing is lost on the way.
// Only the four input types exist here; a Z or M ordinate is dropped (S1/P1 force 2D anyway).

import type { MultiPoint, MultiPolygon, Point, Polygon, Position } from 'geojson';

export type InputGeometry = Point | MultiPoint | Polygon | MultiPolygon;

const TYPE_CODE = { Point: 1, Polygon: 3, MultiPoint: 4, MultiPolygon: 6 } as const;

class WkbWriter {
  private readonly chunks: Buffer[] = [];

  header(type: number): void {
    const b = Buffer.alloc(5);
    b.writeUInt8(1, 0);
    b.writeUInt32LE(type, 1);
    this.chunks.push(b);
  }

  count(n: number): void {
    const b = Buffer.alloc(4);
    b.writeUInt32LE(n, 0);
    this.chunks.push(b);
  }

  point(p: Position): void {
    const b = Buffer.alloc(16);
    b.writeDoubleLE(p[0] ?? Number.NaN, 0);
    b.writeDoubleLE(p[1] ?? Number.NaN, 8);
    this.chunks.push(b);
  }

  rings(rings: Position[][]): void {
    this.count(rings.length);
    for (const ring of rings) {
      this.count(ring.length);
      for (const p of ring) this.point(p);
    }
  }

  toHex(): string {
    return Buffer.concat(this.chunks).toString('hex');
  }
}

export function geometryToWkbHex(geometry: InputGeometry): string {
  const w = new WkbWriter();
  switch (geometry.type) {
    case 'Point':
      w.header(TYPE_CODE.Point);
      w.point(geometry.coordinates);
      break;
    case 'MultiPoint':
      w.header(TYPE_CODE.MultiPoint);
      w.count(geometry.coordinates.length);
      for (const p of geometry.coordinates) {
        w.header(TYPE_CODE.Point);
        w.point(p);
      }
      break;
    case 'Polygon':
      w.header(TYPE_CODE.Polygon);
      w.rings(geometry.coordinates);
      break;
    case 'MultiPolygon':
      w.header(TYPE_CODE.MultiPolygon);
      w.count(geometry.coordinates.length);
      for (const polygon of geometry.coordinates) {
        w.header(TYPE_CODE.Polygon);
        w.rings(polygon);
      }
      break;
  }
  return w.toHex();
}
