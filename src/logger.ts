import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

/**
 * JSON logs, pretty on a terminal. Authorization headers and message texts are redacted so a
 * token or a member's words never reach the log at any level.
 */
export function createLogger(config: Pick<Config, 'logLevel'>, pretty = process.stdout.isTTY === true): Logger {
  return pino({
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'token', '*.token', 'text', '*.text', 'payload.text'],
      censor: '[redacted]',
    },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  });
}
