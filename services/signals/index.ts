/** Defect signals (缺陷线索): regulators review the clusters the signal job opens, investigate or dismiss them. */
export { signalRoutes } from './routes.js';
export { getSignal, listSignals, transitionSignal } from './signals.js';
