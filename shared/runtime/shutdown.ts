import type { Logger } from '../logger/index.js';

/** Runs the closers in order on SIGTERM/SIGINT, with a hard timeout so a stuck close cannot hang the process. */
export function handleShutdown(logger: Logger, timeoutMs: number, closers: Array<() => Promise<unknown>>) {
  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const timer = setTimeout(() => {
      logger.error({ timeoutMs }, 'shutdown timed out; exiting');
      process.exit(1);
    }, timeoutMs);
    timer.unref();
    for (const close of closers) {
      try {
        await close();
      } catch (err) {
        logger.warn({ err }, 'error during shutdown');
      }
    }
    clearTimeout(timer);
    logger.info('stopped');
    process.exit(0);
  };
  process.once('SIGTERM', () => void stop('SIGTERM'));
  process.once('SIGINT', () => void stop('SIGINT'));
}
