// CRS resolution (contracts.md §5.6): every declared-name spelling, and .prj WKT in the forms
// GIS tools write (ESRI WKT 1, EPSG WKT 1, WKT 2, renamed exports).

import { describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { resolveCrsMember, resolveCrsName } from '../../lib/input/crs/names.js';
import { resolvePrj } from '../../lib/input/crs/prj.js';
import { BNG_WKT, WEB_MERCATOR_WKT, WGS84_WKT } from './support/builders.js';
import { rejectsWith } from './support/expect.js';

const prj = (text: string): Buffer => Buffer.from(text, 'utf8');
const attempt = (work: () => unknown): Promise<unknown> => Promise.resolve().then(work);

const EPSG_27700_WKT1 =
  'PROJCS["OSGB 1936 / British National Grid",GEOGCS["OSGB 1936",DATUM["OSGB_1936",SPHEROID["Airy 1830",6377563.396,299.3249646,AUTHORITY["EPSG","7001"]],' +
  'TOWGS84[446.448,-125.157,542.06,0.15,0.247,0.842,-20.489],AUTHORITY["EPSG","6277"]],PRIMEM["Greenwich",0,AUTHORITY["EPSG","8901"]],' +
  'UNIT["degree",0.0174532925199433,AUTHORITY["EPSG","9122"]],AUTHORITY["EPSG","4277"]],PROJECTION["Transverse_Mercator"],' +
  'PARAMETER["latitude_of_origin",49],PARAMETER["central_meridian",-2],PARAMETER["scale_factor",0.9996012717],PARAMETER["false_easting",400000],' +
  'PARAMETER["false_northing",-100000],UNIT["metre",1,AUTHORITY["EPSG","9001"]],AXIS["Easting",EAST],AXIS["Northing",NORTH],AUTHORITY["EPSG","27700"]]';

describe('declared CRS names', () => {
  test('every listed spelling of 27700, 4326 and CRS84 resolves, case-insensitively', () => {
    const forms = (code: number): string[] => [
      `EPSG:${code}`, `epsg::${code}`, `urn:ogc:def:crs:EPSG::${code}`, `URN:OGC:DEF:CRS:EPSG:6.6:${code}`, `urn:ogc:def:crs:EPSG:9.8.9:${code}`,
      `http://www.opengis.net/def/crs/EPSG/0/${code}`, `https://www.opengis.net/def/crs/EPSG/0/${code}`,
    ];
    for (const name of forms(27700)) assert.equal(resolveCrsName(name), 27700, name);
    for (const name of forms(4326)) assert.equal(resolveCrsName(name), 4326, name);
    for (const name of ['OGC:CRS84', 'crs84', 'urn:ogc:def:crs:OGC:1.3:CRS84', 'urn:ogc:def:crs:OGC::CRS84', 'http://www.opengis.net/def/crs/OGC/1.3/CRS84', 'https://www.opengis.net/def/crs/OGC/1.3/CRS84']) {
      assert.equal(resolveCrsName(name), 4326, name);
    }
  });

  test('other codes, garbage names and malformed members are unsupported_crs; no member is null', async () => {
    for (const name of ['EPSG:3857', 'urn:ogc:def:crs:EPSG::4277', 'British National Grid', '', 'EPSG:27700x']) {
      await rejectsWith(attempt(() => resolveCrsName(name)), 'unsupported_crs');
    }
    for (const member of ['EPSG:27700', 42, [], { type: 'link', properties: { href: 'x' } }, { type: 'name', properties: { name: 27700 } }, { type: 'name' }]) {
      await rejectsWith(attempt(() => resolveCrsMember(member)), 'unsupported_crs');
    }
    assert.equal(resolveCrsMember(undefined), null);
    assert.equal(resolveCrsMember(null), null);
    assert.equal(resolveCrsMember({ type: 'name', properties: { name: ' EPSG:27700 ' } }), 27700);
  });
});

describe('.prj resolution', () => {
  test('British National Grid in its common spellings', () => {
    assert.equal(resolvePrj(prj(BNG_WKT)), 27700, 'ESRI WKT 1 (the samples)');
    assert.equal(resolvePrj(prj(`\uFEFF  ${EPSG_27700_WKT1}\n`)), 27700, 'EPSG WKT 1 with BOM and whitespace');
    assert.equal(resolvePrj(prj('PROJCRS["OSGB36 / British National Grid",BASEGEOGCRS["OSGB36",DATUM["Ordnance Survey of Great Britain 1936",ELLIPSOID["Airy 1830",6377563.396,299.3249646]]],CONVERSION["British National Grid",METHOD["Transverse Mercator"]],CS[Cartesian,2],ID["EPSG",27700]]')), 27700, 'WKT 2');
    assert.equal(resolvePrj(prj(BNG_WKT.replace('British_National_Grid', 'OSGB36_British_National_Grid'))), 27700, 'alternative name');
    assert.equal(resolvePrj(prj(BNG_WKT.replace('British_National_Grid', 'Site_Export_2024'))), 27700, 'renamed export: matched on the TM parameters');
    const compound = `COMPD_CS["OSGB 1936 / British National Grid + ODN height",${EPSG_27700_WKT1},VERT_CS["ODN height",VERT_DATUM["Ordnance Datum Newlyn",2005],UNIT["metre",1]]]`;
    assert.equal(resolvePrj(prj(compound)), 27700, 'compound BNG + ODN');
  });

  test('WGS 84 geographic', () => {
    assert.equal(resolvePrj(prj(WGS84_WKT)), 4326);
    assert.equal(resolvePrj(prj('GEOGCS["WGS 84",DATUM["WGS_1984",SPHEROID["WGS 84",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["degree",0.0174532925199433],AUTHORITY["EPSG","4326"]]')), 4326);
    assert.equal(resolvePrj(prj('GEOGCRS["WGS 84",ENSEMBLE["World Geodetic System 1984 ensemble",MEMBER["World Geodetic System 1984 (G2139)"],ELLIPSOID["WGS 84",6378137,298.257223563]],CS[ellipsoidal,2]]')), 4326);
  });

  test('lookalikes are unsupported, emptiness and garbage are missing', async () => {
    const renamedInFeet = BNG_WKT.replace('British_National_Grid', 'Export').replace('UNIT["Meter",1.0]', 'UNIT["Foot",0.3048]');
    const shiftedOrigin = BNG_WKT.replace('British_National_Grid', 'Export').replace('400000.0', '500000.0');
    const wrongDatum = BNG_WKT.replace('British_National_Grid', 'Export').replace('D_OSGB_1936', 'D_ETRS_1989');
    for (const text of [WEB_MERCATOR_WKT, renamedInFeet, shiftedOrigin, wrongDatum, 'GEOGCS["GCS_OSGB_1936",DATUM["D_OSGB_1936",SPHEROID["Airy_1830",6377563.396,299.3249646]]]']) {
      await rejectsWith(attempt(() => resolvePrj(prj(text))), 'unsupported_crs');
    }
    for (const text of ['', ' \r\n', '\uFEFF', 'PROJCS["unterminated', 'EPSG:27700', 'PROJCS["x"] trailing']) {
      await rejectsWith(attempt(() => resolvePrj(prj(text))), 'missing_crs');
    }
  });

  test('a 2 MB .prj parses in linear time', () => {
    const big = `PROJCS["${'x'.repeat(2_000_000)}",UNIT["Meter",1.0]]`;
    const started = performance.now();
    assert.throws(() => resolvePrj(prj(big)), { code: 'unsupported_crs' });
    assert.ok(performance.now() - started < 5_000);
  });
});
