// The job's working tables, created once at the start of its transaction (ON COMMIT DROP, so they
// vanish with it whether it commits or not). One statement: catalog writes are the slow part.
//
//   gcn_rlb        S1 RLB units (unreduced)            gcn_shape      named single geometries:
//   gcn_unit       S4 units, with their RP form                       rlb_union, disc, extent, pond_zone
//   gcn_rz         S6 risk-zone pieces                 gcn_edp        EDP edges intersecting E
//   gcn_pond       P1 ponds                            gcn_pond_area  P3/P4 ponds with their class
//   gcn_rzp        H2 pieces near ponds (RP form)      gcn_habitat    H3–H5 rows with geometry

import type postgres from 'postgres';
import { cancellable } from '../../../db/cancel.js';

const DDL = `
  CREATE TEMP TABLE gcn_rlb (u int PRIMARY KEY, g geometry NOT NULL) ON COMMIT DROP;
  CREATE TEMP TABLE gcn_shape (name text PRIMARY KEY, g geometry) ON COMMIT DROP;
  CREATE TEMP TABLE gcn_unit (u int PRIMARY KEY, area text NOT NULL, g geometry, g_rp geometry) ON COMMIT DROP;
  CREATE TEMP TABLE gcn_rz (z int PRIMARY KEY, id uuid NOT NULL, rz text, attrs jsonb NOT NULL, g geometry) ON COMMIT DROP;
  CREATE INDEX ON gcn_rz USING gist (g);
  CREATE TEMP TABLE gcn_edp (id uuid PRIMARY KEY, name text, attrs jsonb NOT NULL, g geometry NOT NULL, g_rp geometry) ON COMMIT DROP;
  CREATE TEMP TABLE gcn_pond (k int PRIMARY KEY, pans text NOT NULL, tmpimp text NOT NULL, g geometry NOT NULL) ON COMMIT DROP;
  CREATE TEMP TABLE gcn_pond_area (k int PRIMARY KEY, area text NOT NULL, seq int NOT NULL, pans text NOT NULL, tmpimp text NOT NULL, g geometry NOT NULL) ON COMMIT DROP;
  CREATE INDEX ON gcn_pond_area USING gist (g);
  CREATE TEMP TABLE gcn_rzp (z int PRIMARY KEY, g_rp geometry NOT NULL) ON COMMIT DROP;
  CREATE TEMP TABLE gcn_habitat (n int PRIMARY KEY, u int NOT NULL, z int NOT NULL, shape_area float8 NOT NULL, g geometry NOT NULL) ON COMMIT DROP;
`;

export async function createWorkTables(tx: postgres.TransactionSql, signal: AbortSignal): Promise<void> {
  await cancellable(tx.unsafe(DDL).simple(), signal);
}
