// Little-endian WKB for Polygon / MultiPolygon (2D), written straight into one Buffer so a
// million-vertex boundary costs 16 MB once, not an object graph.

import type { MultiPolygon, Polygon, Position } from 'geojson';

const WKB_POLYGON = 3;
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

export function toWkb(geometry: Polygon | MultiPolygon): Buffer {
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
