import { accessSync, constants, statSync } from 'node:fs';
import path from 'node:path';
import type { Level } from 'pino';
import { ConfigError, read, wholeNumber, type Env } from './env.js';
import { loadTeamsConfig, type TeamsConfig } from '../adapters/teams/config.js';
import { loadWhatsAppConfig, type WhatsAppConfig } from '../adapters/whatsapp/config.js';

/** Everything the process reads from its environment, parsed and validated once at start. */
export interface Config {
  port: number;
  host: string;
  /** Null: use the embedded PGlite under dataDir. */
  databaseUrl: string | null;
  dataDir: string;
  /** A bootstrap admin token; null: generate one on first start and print it once. */
  adminToken: string | null;
  logLevel: Level | 'silent';
  publicUrl: string;
  /** Requests per minute per client on /v1, 0 turns the limit off. */
  rateLimitPerMinute: number;
  /**
   * How many reverse proxies stand before the server (0: none). Behind one, the client's address
   * comes from X-Forwarded-For, so the rate limit counts clients, not the proxy.
   */
  trustProxyHops: number;
  /** Unanswered this long (hours), a question goes to the ambassadors; a community may set its own. 0: never. */
  questionEscalateAfterHours: number;
  whatsapp: WhatsAppConfig;
  teams: TeamsConfig;
  /** The community bridge: how long relayed messages are mapped, how large a file it carries. */
  bridge: { retentionDays: number; mediaMaxBytes: number };
}

export { ConfigError } from './env.js';

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/** Parses the environment into a Config; throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env): Config {
  const get = (name: string) => read(env, name);

  const port = wholeNumber(env, 'PORT', 3000, 0, 65535);
  const host = get('HOST') ?? '0.0.0.0';

  const databaseUrl = get('DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const dataDir = path.resolve(get('DATA_DIR') ?? './data');
  // Only PGlite keeps its files there; checked now so a bad folder fails in one line, not in
  // a WASM stack trace halfway through opening the database.
  if (databaseUrl === null) {
    const reason = unwritable(dataDir);
    if (reason) throw new ConfigError(`DATA_DIR ${dataDir} cannot be written (${reason})`);
  }

  const adminToken = get('ADMIN_TOKEN') ?? null;
  if (adminToken !== null && adminToken.length < 24) {
    throw new ConfigError('ADMIN_TOKEN must be at least 24 characters long');
  }

  const logLevel = (get('LOG_LEVEL') ?? 'info').toLowerCase();
  if (!(LOG_LEVELS as readonly string[]).includes(logLevel)) {
    throw new ConfigError(`LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}`);
  }

  const publicUrl = get('PUBLIC_URL') ?? `http://localhost:${port}`;
  try {
    const url = new URL(publicUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error();
  } catch {
    throw new ConfigError('PUBLIC_URL must be an http:// or https:// URL');
  }

  const rateLimitPerMinute = wholeNumber(env, 'RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000);
  const trustProxyHops = wholeNumber(env, 'TRUST_PROXY_HOPS', 0, 0, 10);
  const questionEscalateAfterHours = wholeNumber(env, 'QUESTION_ESCALATE_AFTER_HOURS', 48, 0, 720);

  return {
    port,
    host,
    databaseUrl,
    dataDir,
    adminToken,
    logLevel: logLevel as Config['logLevel'],
    publicUrl: publicUrl.replace(/\/+$/, ''),
    rateLimitPerMinute,
    trustProxyHops,
    questionEscalateAfterHours,
    whatsapp: loadWhatsAppConfig(env),
    teams: loadTeamsConfig(env),
    bridge: {
      retentionDays: wholeNumber(env, 'BRIDGE_RETENTION_DAYS', 30, 1, 3650),
      mediaMaxBytes: wholeNumber(env, 'BRIDGE_MEDIA_MAX_MB', 5, 0, 100) * 1_048_576,
    },
  };
}

/**
 * Why `dir` could not be created or written, or null when it can. Looks at the nearest folder
 * that already exists and creates nothing, so loading the configuration has no side effects.
 */
function unwritable(dir: string): string | null {
  for (let current = dir; ; current = path.dirname(current)) {
    try {
      if (!statSync(current).isDirectory()) return `${current} is not a folder`;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      // ENOTDIR: a file stands somewhere above; the loop reaches it and says so.
      if ((code === 'ENOENT' || code === 'ENOTDIR') && path.dirname(current) !== current) continue;
      return `${current}: ${code ?? String(error)}`;
    }
    try {
      accessSync(current, constants.W_OK | constants.X_OK);
      return null;
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      return code === 'EROFS' ? `${current} is on a read-only file system` : `no write permission on ${current}`;
    }
  }
}
