// WGS 84 (EPSG:4326) → British National Grid (EPSG:27700) in-process with proj4.
//
// PostGIS 3 / PROJ 9 transform 4326 → 27700 with EPSG:1314 ("OSGB36 to WGS 84 (6)", a 7-parameter
// position-vector Helmert) inside its area of use. proj4's built-in `OSGB36` datum carries slightly
// different rotations (0.1502″ …), worth ~6 mm, so the parameters are spelt out here exactly as
// EPSG publishes them; spec/input/reproject.test.ts shows the result agrees with
// `ST_Transform(…, 27700)` to well under 1 mm (docs/input.md).

import proj4 from 'proj4';

export const BNG_PROJ4 =
  '+proj=tmerc +lat_0=49 +lon_0=-2 +k=0.9996012717 +x_0=400000 +y_0=-100000 +ellps=airy ' +
  '+towgs84=446.448,-125.157,542.06,0.15,0.247,0.842,-20.489 +units=m +no_defs';

/** Area of use of EPSG:1314 (lon/lat bbox); outside it PROJ falls back to a ballpark shift. */
export const HELMERT_AREA_OF_USE = { west: -8.82, south: 49.79, east: 1.92, north: 60.94 } as const;

export type PositionTransform = (lon: number, lat: number) => [number, number];

/** A pure converter; cheap to create, safe to share. Non-finite output means "no answer". */
export function createWgs84ToBng(): PositionTransform {
  const converter = proj4('EPSG:4326', BNG_PROJ4);
  return (lon, lat) => {
    const out = converter.forward([lon, lat]);
    return [out[0] ?? Number.NaN, out[1] ?? Number.NaN];
  };
}
