/** Process plumbing shared by the API and the workers: infrastructure, the use-case context, readiness, shutdown. */
export type { ServiceContext } from './context.js';
export { createServiceContext, openInfrastructure, openQueues, poolTimeouts, type Infrastructure } from './infrastructure.js';
export { checkReadiness, type Readiness } from './readiness.js';
export { handleShutdown } from './shutdown.js';
export { startupBanner } from './banner.js';
