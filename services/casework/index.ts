/** Inspectors' and regulators' casework: the case queue, decisions on items, inspections and case photos. */
export { caseworkRoutes } from './routes.js';
export { assignCase, claimNextCase, getCase, listAssignableInspectors, listCaseEvents, listCases, releaseCase } from './cases.js';
export { getDashboard } from './dashboard.js';
export { recordInspection } from './record-inspection.js';
export { addCasePhoto, listCasePhotos, readCasePhoto } from './case-photos.js';
export { maskEmail, maskName, maskPhone } from './scope.js';
export { recordProvincialReport } from './provincial-report.js';
