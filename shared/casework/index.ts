/** Casework: case queues, inspections and their verdicts, routing of items to desks, and the staff API shapes. */
export * from './vocabulary.js';
export * from './schemas.js';
export { cccCheck, productHazardCheck, scaleVerification } from './inspections.js';
export { queueByCategory, queueForCategory, routeItem, type RoutingDecision } from './routing.js';
export { closeCaseIfDone, closeFinishedCases, mergeIntoOpenCase, recordCaseEvent, upsertOpenCase } from './case-store.js';
export { caseQueueLabels, inspectionTypeLabels } from './labels.js';
