/**
 * Structured logs (pino, one JSON line per event). Request logs carry ids, paths and statuses,
 * never bodies or headers; the redaction list is a second line of defence should a caller pass
 * a request or credential object by mistake.
 */
import pino from 'pino';
import type { Config } from './config.ts';

const REDACT = [
  'password', '*.password', 'token', '*.token', 'authorization', '*.authorization',
  'cookie', '*.cookie', 'headers.authorization', 'headers.cookie', 'jwtSecret', '*.jwtSecret',
  'adminPassword', '*.adminPassword',
];

export function createLogger(config: Pick<Config, 'logLevel'>, destination?: pino.DestinationStream): pino.Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'almready' },
    redact: { paths: REDACT, censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
