import pino, { type Logger } from 'pino';
import type { Config } from './config.js';

/**
 * JSON logs, pretty on a terminal. Authorization headers and message texts are redacted so a
 * token or a member's words never reach the log at any level; so are the query parameters and
 * row details that database errors carry (a failed insert names the values it tried).
 */
export function createLogger(config: Pick<Config, 'logLevel'>, pretty = process.stdout.isTTY === true, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    redact: {
      paths: ['req.headers.authorization', 'headers.authorization', 'token', '*.token', 'text', '*.text', 'payload.text'],
      censor: '[redacted]',
    },
    serializers: { err: scrubError },
    ...(pretty ? { transport: { target: 'pino-pretty', options: { translateTime: 'SYS:HH:MM:ss.l', ignore: 'pid,hostname' } } } : {}),
  };
  return destination ? pino(options, destination) : pino(options);
}

/** Keys of database errors that hold the values of a query (postgres.js, PGlite, drizzle). */
const DATA_KEYS = new Set(['parameters', 'params', 'detail', 'where', 'query']);

/** pino's error serializer, minus the data a failed query carries. */
export function scrubError(error: unknown): unknown {
  const serialized = pino.stdSerializers.err(error as Error) as unknown as Record<string, unknown>;
  // The SQLSTATE of the database error under a wrapper: what an operator needs, without data.
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as never) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) {
      serialized.sqlState ??= e.code;
      break;
    }
  }
  return scrub(serialized, 0);
}

function scrub(value: Record<string, unknown>, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    if (DATA_KEYS.has(key)) out[key] = '[redacted]';
    else if (typeof v === 'string' && (key === 'message' || key === 'stack')) {
      // drizzle: "Failed query: <sql>\nparams: <values>"
      out[key] = v.replace(/\nparams: [\s\S]*?(?=\n {4}at |$)/, '\nparams: [redacted]');
    } else if (v && typeof v === 'object' && depth < 5) out[key] = scrub(v as Record<string, unknown>, depth + 1);
    else out[key] = v;
  }
  return out;
}
