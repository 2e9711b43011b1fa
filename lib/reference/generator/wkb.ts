// Hexagon geometry encoders for the generator's fast paths: little-endian WKB Polygon for the
// GeoPackage, hex EWKB MultiPolygon with SRID 27700 for COPY. Coordinates are mm ÷ 1000, so
// shared vertices of neighbouring cells are the same double (bit-exact shared edges).

const POINTS = 7;
const POLYGON_BYTES = 1 + 4 + 4 + 4 + POINTS * 16;
const EWKB_MULTI_BYTES = 1 + 4 + 4 + 4 + POLYGON_BYTES;
const SRID_FLAG = 0x20000000;

function writePolygon(buffer: Buffer, at: number, ringMm: readonly number[]): number {
  let o = buffer.writeUInt8(1, at);
  o = buffer.writeUInt32LE(3, o);
  o = buffer.writeUInt32LE(1, o);
  o = buffer.writeUInt32LE(POINTS, o);
  for (let k = 0; k < POINTS * 2; k += 1) o = buffer.writeDoubleLE((ringMm[k] ?? 0) / 1000, o);
  return o;
}

/** ISO WKB Polygon (one ring of seven points). */
export function hexagonPolygonWkb(ringMm: readonly number[]): Buffer {
  const buffer = Buffer.allocUnsafe(POLYGON_BYTES);
  writePolygon(buffer, 0, ringMm);
  return buffer;
}

/** Returns an encoder that reuses one buffer: hex EWKB MultiPolygon, SRID 27700. */
export function multiPolygonEwkbHexEncoder(srid = 27700): (ringMm: readonly number[]) => string {
  const buffer = Buffer.allocUnsafe(EWKB_MULTI_BYTES);
  let o = buffer.writeUInt8(1, 0);
  o = buffer.writeUInt32LE((6 | SRID_FLAG) >>> 0, o);
  o = buffer.writeUInt32LE(srid, o);
  const polygonAt = buffer.writeUInt32LE(1, o);
  return (ringMm) => {
    writePolygon(buffer, polygonAt, ringMm);
    return buffer.toString('hex');
  };
}

/** GeoPackage geometry blob: "GP", version 0, flags (little-endian, xy envelope), srs_id, envelope, WKB. */
export function gpkgBlob(ringMm: readonly number[], srsId = 27700): Buffer {
  const wkb = hexagonPolygonWkb(ringMm);
  const header = Buffer.allocUnsafe(8 + 32);
  header.write('GP', 0, 'ascii');
  header.writeUInt8(0, 2);
  header.writeUInt8(0b0000_0011, 3);
  header.writeInt32LE(srsId, 4);
  const xs = [ringMm[2] ?? 0, ringMm[8] ?? 0];
  const ys = [ringMm[7] ?? 0, ringMm[1] ?? 0];
  header.writeDoubleLE(Math.min(...xs) / 1000, 8);
  header.writeDoubleLE(Math.max(...xs) / 1000, 16);
  header.writeDoubleLE(Math.min(...ys) / 1000, 24);
  header.writeDoubleLE(Math.max(...ys) / 1000, 32);
  return Buffer.concat([header, wkb]);
}
