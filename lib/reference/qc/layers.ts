// QC of spatial layers, run on the staged `_ref_geom` rows (after reprojection and repair) so
// offending rows are named by their source feature id. Rules: nutrient.md §5.6, gcn.md §4.

import type { Tx } from '../versions.js';
import type { QcCheck } from '../report.js';
import type { LoadableTable } from '../tables.js';
import { countWarning, sqlCheck } from './sql-check.js';

const ex = (fields: string): string => `jsonb_build_object('feature', idx, ${fields})`;

/** SRID 27700, polygonal (or any type for gcn_ponds), valid after repair. */
export async function geometryChecks(tx: Tx, polygonal: boolean): Promise<QcCheck[]> {
  const checks = [
    await sqlCheck(tx, 'SRID 27700', 'blocking', `SELECT ${ex(`'srid', ST_SRID(g)`)} AS example FROM _ref_geom WHERE ST_SRID(g) <> 27700`),
    await sqlCheck(tx, 'valid geometry after repair', 'blocking',
      `SELECT ${ex(`'reason', ST_IsValidReason(g)`)} AS example FROM _ref_geom WHERE g IS NULL OR NOT ST_IsValid(g) ORDER BY idx`),
  ];
  if (polygonal) {
    checks.push(await sqlCheck(tx, 'polygonal geometry', 'blocking',
      `SELECT ${ex(`'type', source_type, 'afterRepair', GeometryType(g)`)} AS example FROM _ref_geom
       WHERE g IS NULL OR ST_IsEmpty(g) OR GeometryType(g) NOT IN ('POLYGON', 'MULTIPOLYGON') ORDER BY idx`));
  } else {
    checks.push(await sqlCheck(tx, 'non-empty geometry', 'blocking',
      `SELECT ${ex(`'type', source_type`)} AS example FROM _ref_geom WHERE g IS NULL OR ST_IsEmpty(g) ORDER BY idx`));
  }
  return checks;
}

const NO_SEPARATORS = (attr: string): string => `coalesce(attributes->>'${attr}', '') ~ '[|\\r\\n]'`;

/** Attribute rules per layer. */
export async function attributeChecks(tx: Tx, table: LoadableTable): Promise<QcCheck[]> {
  switch (table) {
    case 'nn_catchments':
      return [
        await sqlCheck(tx, 'N2K_Site_N non-null', 'blocking',
          `SELECT ${ex(`'N2K_Site_N', attributes->'N2K_Site_N'`)} AS example FROM _ref_geom WHERE nullif(trim(attributes->>'N2K_Site_N'), '') IS NULL ORDER BY idx`),
        await sqlCheck(tx, 'OID integer', 'blocking',
          `SELECT ${ex(`'OID', attributes->'OID'`)} AS example FROM _ref_geom WHERE coalesce(attributes->>'OID', '') !~ '^\\s*[+-]?\\d+(\\.0*)?\\s*$' ORDER BY idx`),
        await sqlCheck(tx, 'OID unique', 'blocking',
          `SELECT jsonb_build_object('OID', attributes->'OID', 'features', jsonb_agg(idx ORDER BY idx)) AS example FROM _ref_geom
           WHERE attributes->>'OID' IS NOT NULL GROUP BY attributes->'OID' HAVING count(*) > 1 ORDER BY min(idx)`),
      ];
    case 'wwtw_catchments':
      return [
        await sqlCheck(tx, 'WwTw_ID repeated on several features (normal)', 'warning',
          `SELECT jsonb_build_object('WwTw_ID', attributes->'WwTw_ID', 'features', count(*)) AS example FROM _ref_geom
           WHERE attributes->>'WwTw_ID' IS NOT NULL GROUP BY attributes->'WwTw_ID' HAVING count(*) > 1 ORDER BY count(*) DESC, min(idx)`),
        await sqlCheck(tx, 'WwTw_ID integer (else the fallback works applies)', 'warning',
          `SELECT ${ex(`'WwTw_ID', attributes->'WwTw_ID'`)} AS example FROM _ref_geom WHERE coalesce(attributes->>'WwTw_ID', '') !~ '^\\s*[+-]?\\d+(\\.0*)?\\s*$' ORDER BY idx`),
      ];
    case 'lpa_boundaries':
      return [await nullWarning(tx, 'NAME')];
    case 'subcatchments':
      return [await nullWarning(tx, 'OPCAT_NAME')];
    case 'gcn_risk_zones':
      return [
        await sqlCheck(tx, 'RZ in Red/Amber/Green', 'blocking',
          `SELECT ${ex(`'RZ', attributes->'RZ'`)} AS example FROM _ref_geom WHERE attributes->>'RZ' IS NULL OR attributes->>'RZ' NOT IN ('Red', 'Amber', 'Green') ORDER BY idx`),
        await sqlCheck(tx, 'no |, CR or LF in RZ, MHW', 'blocking',
          `SELECT ${ex(`'RZ', attributes->'RZ', 'MHW', attributes->'MHW'`)} AS example FROM _ref_geom WHERE ${NO_SEPARATORS('RZ')} OR ${NO_SEPARATORS('MHW')} ORDER BY idx`),
      ];
    case 'edp_edges':
      return [
        await sqlCheck(tx, 'EDPName non-blank', 'blocking',
          `SELECT ${ex(`'EDPName', attributes->'EDPName'`)} AS example FROM _ref_geom WHERE nullif(trim(attributes->>'EDPName'), '') IS NULL ORDER BY idx`),
        await sqlCheck(tx, 'EDPName unique', 'blocking',
          `SELECT jsonb_build_object('EDPName', attributes->'EDPName', 'features', jsonb_agg(idx ORDER BY idx)) AS example FROM _ref_geom
           WHERE attributes->>'EDPName' IS NOT NULL GROUP BY attributes->'EDPName' HAVING count(*) > 1 ORDER BY min(idx)`),
        await sqlCheck(tx, 'no |, CR or LF in EDPName', 'blocking',
          `SELECT ${ex(`'EDPName', attributes->'EDPName'`)} AS example FROM _ref_geom WHERE ${NO_SEPARATORS('EDPName')} ORDER BY idx`),
      ];
    case 'edp_boundaries':
      return [
        await sqlCheck(tx, 'EDP_Name non-blank', 'blocking',
          `SELECT ${ex(`'EDP_Name', attributes->'EDP_Name'`)} AS example FROM _ref_geom WHERE nullif(trim(attributes->>'EDP_Name'), '') IS NULL ORDER BY idx`),
      ];
    default:
      return [];
  }
}

async function nullWarning(tx: Tx, attribute: string): Promise<QcCheck> {
  return countWarning(tx, `${attribute} null or blank`,
    `SELECT count(*) AS n FROM _ref_geom WHERE nullif(trim(attributes->>'${attribute}'), '') IS NULL`);
}
