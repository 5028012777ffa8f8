import { createServer, type Server } from 'node:http';
import type { Db } from '../shared/db/index.js';
import { checkReadiness } from '../shared/runtime/index.js';

/** A workers-only process answers /healthz and /readyz on WORKER_HEALTH_PORT, for orchestrators' probes. */
export function startWorkerHealthServer(deps: { db: Db; checkQueue: () => Promise<void>; port: number; host: string }): Server {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(body));
    };
    if (req.url === '/healthz') return send(200, { status: 'ok' });
    if (req.url === '/readyz') {
      void checkReadiness(deps.db, deps.checkQueue).then((r) =>
        send(
          r.ready ? 200 : 503,
          r.ready
            ? { status: 'ready', database: r.database, queue: r.queue }
            : {
                error: {
                  code: 'service_unavailable',
                  message: 'not ready',
                  details: { database: r.database, queue: r.queue },
                  requestId: '',
                },
              },
        ),
      );
      return;
    }
    send(404, { error: { code: 'not_found', message: 'no such endpoint', requestId: '' } });
  });
  server.listen(deps.port, deps.host);
  return server;
}
