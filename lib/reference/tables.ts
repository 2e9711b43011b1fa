// The reference-table manifest: every table the loader writes, what each one reads from its
// source, and which tables gate readiness (contracts.md §7.3). Keys of spatial layers live in
// `attributes` (nutrient.md §5.1, gcn.md §4); the other tables have explicit columns.

/** The seven tables a nutrient job resolves at start (nutrient.md §5.5). */
export const NUTRIENT_TABLES = [
  'nn_catchments', 'wwtw_catchments', 'lpa_boundaries', 'subcatchments', 'coefficient_layer', 'wwtw_lookup', 'rates_lookup',
] as const;

/** GCN layers (gcn.md §4). `gcn_ponds` serves the national route only and is checked per job. */
export const GCN_TABLES = ['gcn_risk_zones', 'edp_edges', 'gcn_ponds'] as const;

/** Levy tables and the EDP areas that select a charge (levy.md §2, §5). */
export const LEVY_TABLES = ['edp_boundaries', 'levy_charges', 'levy_inflation_index'] as const;

/** Every table a job may read: the manifest. */
export const REFERENCE_TABLES = [...NUTRIENT_TABLES, ...GCN_TABLES, ...LEVY_TABLES] as const;
export type ReferenceTable = (typeof REFERENCE_TABLES)[number];

/**
 * Loadable but read by no assessment yet (shipped with the fixtures), so it never gates
 * readiness (docs/decisions.md).
 */
export const AUXILIARY_TABLES = ['edp_excluded_areas'] as const;

export const LOADABLE_TABLES = [...REFERENCE_TABLES, ...AUXILIARY_TABLES] as const;
export type LoadableTable = (typeof LOADABLE_TABLES)[number];

/** Tables whose active version must hold rows before a worker polls (all but gcn_ponds). */
export const READINESS_TABLES: readonly ReferenceTable[] = REFERENCE_TABLES.filter((t) => t !== 'gcn_ponds');

export type TableKind = 'polygon-layer' | 'any-geometry-layer' | 'coefficients' | 'wwtw_lookup' | 'rates_lookup' | 'levy_charges' | 'levy_inflation_index';

export interface SpatialLayerSpec {
  /** Attribute copied into the `name` column (for people reading the table; code reads attributes). */
  nameAttribute: string | null;
  /** Attributes that must exist as columns in the source (blocking QC). */
  requiredAttributes: readonly string[];
}

export const SPATIAL_LAYERS: Readonly<Record<string, SpatialLayerSpec>> = {
  nn_catchments: { nameAttribute: 'N2K_Site_N', requiredAttributes: ['N2K_Site_N', 'OID'] },
  wwtw_catchments: { nameAttribute: 'WwTW', requiredAttributes: ['WwTw_ID'] },
  lpa_boundaries: { nameAttribute: 'NAME', requiredAttributes: ['NAME'] },
  subcatchments: { nameAttribute: 'OPCAT_NAME', requiredAttributes: ['OPCAT_NAME'] },
  gcn_risk_zones: { nameAttribute: 'RZ', requiredAttributes: ['RZ'] },
  edp_edges: { nameAttribute: 'EDPName', requiredAttributes: ['EDPName'] },
  edp_boundaries: { nameAttribute: 'EDP_Name', requiredAttributes: ['EDP_Name'] },
  edp_excluded_areas: { nameAttribute: 'site_name', requiredAttributes: [] },
  gcn_ponds: { nameAttribute: null, requiredAttributes: [] },
};

export function tableKind(table: LoadableTable): TableKind {
  switch (table) {
    case 'coefficient_layer': return 'coefficients';
    case 'wwtw_lookup': return 'wwtw_lookup';
    case 'rates_lookup': return 'rates_lookup';
    case 'levy_charges': return 'levy_charges';
    case 'levy_inflation_index': return 'levy_inflation_index';
    case 'gcn_ponds': return 'any-geometry-layer';
    default: return 'polygon-layer';
  }
}

export function isLoadableTable(name: string): name is LoadableTable {
  return (LOADABLE_TABLES as readonly string[]).includes(name);
}

/** Tables that carry a geometry column (and so a GiST index and the spatial QC rules). */
export function isSpatialTable(table: LoadableTable): boolean {
  const kind = tableKind(table);
  return kind === 'polygon-layer' || kind === 'any-geometry-layer' || kind === 'coefficients';
}
