// runGcnAssessment (gcn.md §2.3, §6): one REPEATABLE READ transaction per run, so every table is
// read at the version resolved at its start; every geometry lives in ON COMMIT DROP temp tables
// and only areas and attributes come back. The stages run in spec order (S, P, H, F, EDP).

import type postgres from 'postgres';
import { JobError } from '../../errors.js';
import { withDbRetry } from '../../db/retry.js';
import type { InputWarning } from '../../geo/types.js';
import { cancellable, throwIfAborted } from '../../db/cancel.js';
import { resolveGcnVersions } from './reference.js';
import { createWorkTables } from './stages/work-tables.js';
import { buildUnits } from './stages/units.js';
import { selectRiskZones } from './stages/risk-zones.js';
import { selectEdpEdges, splitHabitatByEdp } from './stages/edp.js';
import { loadPonds } from './stages/ponds.js';
import { computeHabitat } from './stages/habitat.js';
import { pondZones } from './stages/pond-zones.js';
import { frequencyTables, pondIntermediate } from './tables.js';
import { GcnWarnings, isGcnWarningCode } from './warnings.js';
import type { GcnAssessmentOptions, GcnAssessmentOutput, GcnResultDocument, GcnRoute, HabitatDetail, HabitatSplitDetail } from './types.js';

/** The §7.1 document. */
export async function runGcnAssessment(options: GcnAssessmentOptions): Promise<GcnResultDocument> {
  return (await runGcnAssessmentDetailed(options)).document;
}

/** The §7.1 document plus the detail only the PSV files carry (identity and carried columns). */
export async function runGcnAssessmentDetailed(options: GcnAssessmentOptions): Promise<GcnAssessmentOutput> {
  // Checked before any query: the PSV identity columns cannot be built without it (§2.3, U4).
  if (typeof options.uniqueRef !== 'string' || options.uniqueRef.length === 0) {
    throw new TypeError('runGcnAssessment: uniqueRef must be a non-empty string');
  }
  throwIfAborted(options.signal);
  if (options.rlb.length === 0) throw new JobError('no_polygon_found', { detail: { reason: 'no_rlb_features' } });
  const route: GcnRoute = options.surveyPonds === null ? 'national' : 'survey';
  return withDbRetry(
    () => options.sql.begin('isolation level repeatable read', (tx) => assessInTransaction(tx, options, route)),
    { signal: options.signal },
  );
}

function carriedWarningCount(warning: InputWarning, pondCount: number): number {
  const count = warning.detail?.count;
  return typeof count === 'number' && Number.isInteger(count) ? count : pondCount;
}

async function assessInTransaction(tx: postgres.TransactionSql, options: GcnAssessmentOptions, route: GcnRoute): Promise<GcnAssessmentOutput> {
  const { config, signal, logger } = options;
  const grid = config.precisionGridSize;
  const warnings = new GcnWarnings();
  for (const warning of options.surveyWarnings ?? []) {
    if (isGcnWarningCode(warning.code)) warnings.add(warning.code, carriedWarningCount(warning, options.surveyPonds?.length ?? 0));
  }

  // JIT compilation costs ~150 ms per statement here and never pays off: PostGIS functions carry
  // high planner costs, so every small overlay crosses jit_above_cost.
  await cancellable(tx`SET LOCAL jit = off`, signal);
  const versions = await resolveGcnVersions(tx, route, signal, logger);
  await createWorkTables(tx, signal);
  const units = await buildUnits(tx, options.rlb, config, signal);
  warnings.add('gcn_overlapping_rlb_features', units.overlappingPairs);
  const pieces = await selectRiskZones(tx, versions.gcn_risk_zones, signal, logger);
  if (pieces.length === 0) warnings.add('gcn_no_risk_zones', 1);
  await selectEdpEdges(tx, versions.edp_edges, grid, signal, logger);

  const ponds = await loadPonds(tx, options.surveyPonds !== null ? { survey: options.surveyPonds } : { nationalVersion: versions.gcn_ponds ?? 0 }, signal);
  if (ponds.read === 0) warnings.add('gcn_no_ponds', 1);

  const habitat = await computeHabitat(tx, grid, config.pondBufferDistanceM, signal);
  const classified = await pondZones(tx, signal);
  const frequencies = frequencyTables(classified);
  warnings.add('gcn_ponds_without_risk_zone', frequencies.withoutRiskZone);
  const splitPieces = await splitHabitatByEdp(tx, grid, signal);

  const habitatDetail: HabitatDetail[] = habitat.rows.map((row) => ({ unit: row.unit, Area: row.area, RZ: row.rz, Shape_Area: row.shapeArea, z: row.z, zone: row.zone }));
  const byN = new Map(habitat.rows.map((row, index) => [row.n, habitatDetail[index]]));
  const habitatSplit: HabitatSplitDetail[] = [];
  let outsideRows = 0;
  let outsideArea = 0;
  for (const piece of splitPieces) {
    const parent = byN.get(piece.n);
    if (!parent) throw new Error(`EDP split piece refers to unknown habitat row ${piece.n}`);
    if (piece.edpName === '') {
      outsideRows += 1;
      outsideArea += piece.shapeArea;
    }
    habitatSplit.push({ ...parent, EDPName: piece.edpName, Shape_Area: piece.shapeArea, unsplitArea: parent.Shape_Area, edge: piece.edge });
  }
  warnings.add('gcn_outside_edp_areas', frequencies.outsideEdp + outsideRows);

  const document: GcnResultDocument = {
    assessment_type: 'gcn',
    unique_ref: options.uniqueRef,
    route,
    buffer_mode: config.bufferMode,
    data_versions: { gcn_risk_zones: versions.gcn_risk_zones, gcn_ponds: versions.gcn_ponds, edp_edges: versions.edp_edges },
    habitat_impact: habitatDetail.map(({ unit, Area, RZ, Shape_Area }) => ({ unit, Area, RZ, Shape_Area })),
    pond_frequency: frequencies.frequency,
    habitat_impact_edp_split: habitatSplit.map(({ unit, Area, RZ, EDPName, Shape_Area }) => ({ unit, Area, RZ, EDPName, Shape_Area })),
    pond_frequency_edp_split: frequencies.frequencySplit,
    summary: {
      rlb_features: units.rlbCount,
      rlb_area_m2: units.rlbAreaM2,
      extent_area_m2: units.extentAreaM2,
      risk_zone_features: pieces.length,
      ponds_read: ponds.read,
      ponds_in_extent: ponds.inExtent,
      ponds_rlb: ponds.rlb,
      ponds_buffer: ponds.buffer,
      ponds_without_risk_zone: frequencies.withoutRiskZone,
      ponds_outside_edp: frequencies.outsideEdp,
      habitat_outside_edp_m2: outsideArea,
    },
    warnings: warnings.list(),
  };
  if (options.debug) {
    document.intermediates = {
      ponds: classified.map(pondIntermediate),
      risk_zone_pieces: pieces.map(({ z, RZ, area_m2 }) => ({ z, RZ, area_m2 })),
      pond_zone_area_m2: habitat.pondZoneAreaM2,
      buffer_unit_area_m2: units.bufferUnitAreaM2,
    };
  }
  return {
    document,
    tables: {
      uniqueRef: options.uniqueRef,
      rlbFeatures: options.rlb.map((site) => ({ id: site.attributes?.id ?? null, sourceFeature: site.sourceFeature })),
      habitat: habitatDetail,
      habitatSplit,
      frequency: frequencies.frequency,
      frequencySplit: frequencies.frequencySplit,
    },
  };
}
