// Little-endian 2D WKB for the geometry types inputs can hold (Polygon, MultiPolygon, and the
// Point/MultiPoint of survey ponds), written straight into one Buffer so a million-vertex boundary
// costs 16 MB once, not an object graph. Doubles are copied bit for bit; Z and M are dropped.

import type { MultiPoint, MultiPolygon, Point, Polygon, Position } from 'geojson';

const WKB_POINT = 1;
const WKB_POLYGON = 3;
const WKB_MULTIPOINT = 4;
const WKB_MULTIPOLYGON = 6;

function polygonBytes(rings: readonly Position[][]): number {
  let bytes = 1 + 4 + 4;
  for (const ring of rings) bytes += 4 + ring.length * 16;
  return bytes;
}

function writePolygon(buffer: Buffer, start: number, rings: readonly Position[][]): number {
  let at = buffer.writeUInt8(1, start);
  at = buffer.writeUInt32LE(WKB_POLYGON, at);
  at = buffer.writeUInt32LE(rings.length, at);
  for (const ring of rings) {
    at = buffer.writeUInt32LE(ring.length, at);
    for (const position of ring) {
      at = buffer.writeDoubleLE(position[0] ?? Number.NaN, at);
      at = buffer.writeDoubleLE(position[1] ?? Number.NaN, at);
    }
  }
  return at;
}

function writePoint(buffer: Buffer, start: number, position: Position): number {
  let at = buffer.writeUInt8(1, start);
  at = buffer.writeUInt32LE(WKB_POINT, at);
  at = buffer.writeDoubleLE(position[0] ?? Number.NaN, at);
  return buffer.writeDoubleLE(position[1] ?? Number.NaN, at);
}

const POINT_BYTES = 1 + 4 + 16;

export type WkbGeometry = Point | MultiPoint | Polygon | MultiPolygon;

export function toWkb(geometry: WkbGeometry): Buffer {
  if (geometry.type === 'Point') {
    const buffer = Buffer.allocUnsafe(POINT_BYTES);
    writePoint(buffer, 0, geometry.coordinates);
    return buffer;
  }
  if (geometry.type === 'MultiPoint') {
    const buffer = Buffer.allocUnsafe(1 + 4 + 4 + geometry.coordinates.length * POINT_BYTES);
    let at = buffer.writeUInt8(1, 0);
    at = buffer.writeUInt32LE(WKB_MULTIPOINT, at);
    at = buffer.writeUInt32LE(geometry.coordinates.length, at);
    for (const position of geometry.coordinates) at = writePoint(buffer, at, position);
    return buffer;
  }
  if (geometry.type === 'Polygon') {
    const buffer = Buffer.allocUnsafe(polygonBytes(geometry.coordinates));
    writePolygon(buffer, 0, geometry.coordinates);
    return buffer;
  }
  let size = 1 + 4 + 4;
  for (const rings of geometry.coordinates) size += polygonBytes(rings);
  const buffer = Buffer.allocUnsafe(size);
  let at = buffer.writeUInt8(1, 0);
  at = buffer.writeUInt32LE(WKB_MULTIPOLYGON, at);
  at = buffer.writeUInt32LE(geometry.coordinates.length, at);
  for (const rings of geometry.coordinates) at = writePolygon(buffer, at, rings);
  return buffer;
}
