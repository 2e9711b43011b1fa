// Public surface of the reference-data module (docs/reference-data.md).

export { loadReferenceFiles, type LoadOptions } from './loader.js';
export { activateVersions, purgeVersions } from './versions.js';
export { describeFailures, blockingFailures, type LoadReport, type QcCheck } from './report.js';
export { checkReadiness, type Readiness } from './readiness.js';
export {
  resolveActiveVersions, getWwtwLookup, getRatesLookup, createLookupCache,
  type LookupCache, type LookupIssue, type WwtwLookupRow, type RatesLookupRow,
} from './repository.js';
export {
  REFERENCE_TABLES, READINESS_TABLES, NUTRIENT_TABLES, GCN_TABLES, LEVY_TABLES, LOADABLE_TABLES,
  type ReferenceTable, type LoadableTable,
} from './tables.js';
export { parseLenient, parseLenientCode, type LenientResult } from './lenient.js';
export {
  generateCoefficients, planGeneration, manifestOf, PRESETS,
  type GeneratorOptions, type CoefficientRow, type Manifest, type PresetName,
} from './generator/generate.js';
export { loadSyntheticCoefficients, type SyntheticLoad } from './generator/load.js';
export { writeCoefficientGpkg } from './generator/gpkg-writer.js';
