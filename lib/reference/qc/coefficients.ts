// QC of the coefficient layer (nutrient.md §5.6): non-null keys, unique crome_id, coefficient
// ranges N 0–50 / P 0–5, null-coefficient count. Runs on any relation exposing the stored column
// names plus `ref` (the staged feature id, or crome_id once stored).

import type { Tx } from '../versions.js';
import type { QcCheck } from '../report.js';
import { countWarning, sqlCheck } from './sql-check.js';

export const COEFFICIENT_RANGES = { n: [0, 50], p: [0, 5] } as const;

/** `relation` is trusted SQL: a table expression with ref, crome_id, land_use_cat, … columns. */
export async function coefficientChecks(tx: Tx, relation: string, params: (string | number)[] = []): Promise<QcCheck[]> {
  const [nLo, nHi] = COEFFICIENT_RANGES.n;
  const [pLo, pHi] = COEFFICIENT_RANGES.p;
  const outOfRange = (col: string, lo: number, hi: number): string => `(${col} IS NOT NULL AND (${col} < ${lo} OR ${col} > ${hi} OR ${col} = 'NaN'::float8))`;
  return [
    await sqlCheck(tx, 'crome_id, land_use_cat, nn_catchment, subcatchment non-null', 'blocking',
      `SELECT jsonb_build_object('ref', ref, 'crome_id', crome_id, 'land_use_cat', land_use_cat, 'nn_catchment', nn_catchment, 'subcatchment', subcatchment) AS example
       FROM (${relation}) r WHERE crome_id IS NULL OR land_use_cat IS NULL OR nn_catchment IS NULL OR subcatchment IS NULL`, params),
    await sqlCheck(tx, 'crome_id unique', 'blocking',
      `SELECT jsonb_build_object('crome_id', crome_id, 'rows', count(*)) AS example FROM (${relation}) r
       WHERE crome_id IS NOT NULL GROUP BY crome_id HAVING count(*) > 1`, params),
    await sqlCheck(tx, `coefficients within N ${nLo}–${nHi} / P ${pLo}–${pHi}`, 'blocking',
      `SELECT jsonb_build_object('ref', ref, 'crome_id', crome_id, 'lu_curr_n_coeff', lu_curr_n_coeff, 'lu_curr_p_coeff', lu_curr_p_coeff,
         'n_resi_coeff', n_resi_coeff, 'p_resi_coeff', p_resi_coeff) AS example FROM (${relation}) r
       WHERE ${outOfRange('lu_curr_n_coeff', nLo, nHi)} OR ${outOfRange('n_resi_coeff', nLo, nHi)}
          OR ${outOfRange('lu_curr_p_coeff', pLo, pHi)} OR ${outOfRange('p_resi_coeff', pLo, pHi)}`, params),
    await countWarning(tx, 'null coefficients (rows with at least one)',
      `SELECT count(*) AS n FROM (${relation}) r WHERE lu_curr_n_coeff IS NULL OR lu_curr_p_coeff IS NULL OR n_resi_coeff IS NULL OR p_resi_coeff IS NULL`, params),
  ];
}
