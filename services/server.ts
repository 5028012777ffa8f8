import { serve, type ServerType } from '@hono/node-server';
import type { Config } from '../shared/config.js';
import type { Db } from '../shared/db/connection.js';
import type { Logger } from '../shared/logger.js';
import type { AnyQueue, QueueBackend } from '../shared/queues.js';
import { createApp } from './app.js';

export interface RunningApi {
  server: ServerType;
  port: number;
  close(): Promise<void>;
}

export async function startApi(deps: {
  db: Db;
  config: Config;
  logger: Logger;
  queueBackend: QueueBackend;
  probeQueue: AnyQueue;
  port?: number;
}): Promise<RunningApi> {
  const app = createApp({
    db: deps.db,
    config: deps.config,
    logger: deps.logger,
    checkQueue: () => deps.queueBackend.ping(deps.probeQueue),
  });
  const port = deps.port ?? deps.config.PORT;
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port, hostname: deps.config.HOST }, (info) => {
      resolve({
        server,
        port: info.port,
        close: () =>
          new Promise<void>((res) => {
            server.close(() => res());
            // Idle keep-alive sockets would hold close() open until they time out.
            (server as { closeIdleConnections?: () => void }).closeIdleConnections?.();
          }),
      });
    });
    server.once('error', reject);
  });
}
