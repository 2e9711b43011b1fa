// The GCN assessment (gcn.md): what the pipeline, the CLI and the benchmark call.

export { runGcnAssessment, runGcnAssessmentDetailed } from './run.js';
export { toGcnSummary, habitatByRlb, type GcnSummary, type ZoneAreas } from './summary.js';
export { gcnPsvFiles, parsePsv, PSV_FILES, type PsvTable } from './psv.js';
export { timeGcnAssessment, type GcnTiming } from './bench.js';
export type * from './types.js';
