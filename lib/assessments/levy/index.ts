// The nutrient levy (levy.md): pure calculator, data access and the model registry.
export { calculateLevyAmounts, divideHalfUp, baseChargeToPence, penceToGbp, penceToString, type LevyAmounts, type LevyCalculationInput } from './calculator.js';
export { resolveLevies, resolveLevy, toCalendarDate, type LevyGbp, type LevyRecord, type LevyResolution, type ResolveLeviesParams, type ResolveLevyParams, type SiteLevy } from './resolve.js';
export { findEdpsBySite, edpKeyOf, edpMapKey, type EdpKey, type EdpLookup } from './edp.js';
export { levyModelFor, type LevyModel } from './registry.js';
export { leviesByRlb, type LeviesByRlb, type LevyWarning } from './by-rlb.js';
