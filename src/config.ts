import path from 'node:path';
import type { Level } from 'pino';

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
}

/** A bad environment value: its message names the variable and what is wrong with it. */
export class ConfigError extends Error {}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

type Env = Record<string, string | undefined>;

/** Parses the environment into a Config; throws ConfigError on the first bad value. */
export function loadConfig(env: Env = process.env): Config {
  const get = (name: string) => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };

  const port = integer(get('PORT'), 'PORT', 3000, 0, 65535);
  const host = get('HOST') ?? '0.0.0.0';

  const databaseUrl = get('DATABASE_URL') ?? null;
  if (databaseUrl !== null && !/^postgres(ql)?:\/\//.test(databaseUrl)) {
    throw new ConfigError('DATABASE_URL must start with postgres:// or postgresql://');
  }

  const dataDir = path.resolve(get('DATA_DIR') ?? './data');

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

  const rateLimitPerMinute = integer(get('RATE_LIMIT_PER_MINUTE'), 'RATE_LIMIT_PER_MINUTE', 600, 0, 1_000_000);

  return {
    port,
    host,
    databaseUrl,
    dataDir,
    adminToken,
    logLevel: logLevel as Config['logLevel'],
    publicUrl: publicUrl.replace(/\/+$/, ''),
    rateLimitPerMinute,
  };
}

function integer(raw: string | undefined, name: string, fallback: number, min: number, max: number) {
  if (raw === undefined) return fallback;
  const value = Number(raw);
  if (!/^\d+$/.test(raw) || value < min || value > max) {
    throw new ConfigError(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}
