/** Complaint and report intake, and the consumer's tracking view. */
export { complaintRoutes } from './routes.js';
export { submitComplaint } from './submit-complaint.js';
export { getTrackingView, itemIdForConsumer } from './get-tracking-view.js';
