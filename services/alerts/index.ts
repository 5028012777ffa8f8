/** Recall alerts: double opt-in subscriptions and one-click unsubscription. */
export { alertRoutes } from './routes.js';
export {
  confirmSubscription,
  describeConfirmLink,
  describeUnsubscribeLink,
  subscribeToAlerts,
  unsubscribeFromAlerts,
} from './subscriptions.js';
