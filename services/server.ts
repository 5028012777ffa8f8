import { serve, type ServerType } from '@hono/node-server';
import { Redis } from 'ioredis';
import { createServiceContext, openQueues, type Infrastructure } from '../shared/runtime/index.js';
import type { Config } from '../shared/config/index.js';
import type { Logger } from '../shared/logger/index.js';
import { createApp } from './app.js';

export interface RunningApi {
  server: ServerType;
  port: number;
  close(): Promise<void>;
}

/**
 * The API process part: the use-case context (with the Redis client for rate-limit counters when REDIS_URL is set),
 * queue producers for the readiness check, the app and its HTTP server. close() stops them in that order, reversed.
 */
export async function startApi(
  infra: Pick<Infrastructure, 'db' | 'databaseUrl'>,
  deps: { config: Config; logger: Logger; port?: number },
): Promise<RunningApi> {
  const { config, logger } = deps;
  const redis = config.REDIS_URL ? new Redis(config.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false }) : undefined;
  // Connection errors surface on the commands that fail (the in-memory limiter stands in); ioredis reconnects.
  redis?.on('error', () => {});
  const ctx = createServiceContext({ db: infra.db, config, logger, redis });
  const queues = openQueues(config, infra.databaseUrl);
  const app = createApp(ctx, { checkQueue: queues.checkQueue, queues: Object.values(queues.queues) });
  const port = deps.port ?? config.PORT;
  const server = await new Promise<ServerType>((resolve, reject) => {
    const s = serve({ fetch: app.fetch, port, hostname: config.HOST }, () => resolve(s));
    s.once('error', reject);
  });
  const address = server.address();
  return {
    server,
    port: typeof address === 'object' && address ? address.port : port,
    async close() {
      await new Promise<void>((res) => {
        server.close(() => res());
        // Idle keep-alive sockets would hold close() open until they time out.
        (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
      });
      await queues.backend.close();
      redis?.disconnect();
    },
  };
}
