import { pino, type DestinationStream, type Logger, type LoggerOptions } from 'pino';

export type { Logger };

/**
 * Structured JSON logs. Personal data never goes into a log line: request bodies are not logged,
 * and the fields below are redacted should one slip into a log object.
 */
export function createLogger(level: string, base: Record<string, unknown> = {}, destination?: DestinationStream): Logger {
  const options: LoggerOptions = {
    level,
    base: { service: 'cpt', ...base },
    redact: {
      paths: [
        'req.headers.authorization',
        'req.headers["x-access-code"]',
        '*.reporter',
        '*.phone',
        '*.email',
        '*.accessCode',
        'accessCode',
        'recipient',
      ],
      censor: '[redacted]',
    },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
