// Delivery: backend callbacks, GOV.UK Notify, payload builders and schema validation (docs/delivery.md).
export { createBackendClient, backoffMs, type BackendClient, type BackendClientOptions, type CallbackResult, type CallOptions } from './backend.js';
export { createNotifyClient, recipientDomain, type Notifier, type NotifyClientOptions, type SendEmailArgs, type SendOutcome, type FoundNotification } from './notify.js';
export { buildQuotePatch, bandFor, type QuotePatchBody, type QuotePatchInput, type CatchmentEntry } from './quote-patch.js';
export { buildAssessmentResults, type AssessmentResultsDocument, type ResultRlb, type RlbNutrient, type NutrientSummary, type GcnSummary } from './result-document.js';
export {
  buildCompletedPersonalisation, buildRejectedPersonalisation, buildFailedPersonalisation, notifyReference, exceptionClassOf, errorSummary,
  type EmailKind, type Personalisation,
} from './personalisation.js';
export { validatePayload, payloadValidator, type SchemaId, type ValidationResult } from './schemas.js';
