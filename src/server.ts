import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { ConfigError, type Config } from './config.js';
import { createCore, type Core } from './core/index.js';
import { DatabaseUnreachableError, DataDirInUseError, openDatabase, redactUrl, type Database } from './db/client.js';
import { buildApp } from './http/app.js';
import type { ChannelAdapter } from './adapter.js';
import { createTeamsAdapter } from '../adapters/teams/index.js';
import { createWhatsAppAdapter } from '../adapters/whatsapp/index.js';

export interface Server {
  app: FastifyInstance;
  core: Core;
  database: Database;
  /** The admin token generated on this start (first start without ADMIN_TOKEN), else null. */
  generatedAdminToken: string | null;
  /** Stops taking requests, finishes sends in flight, closes the database. */
  close(): Promise<void>;
}

/**
 * Wires config → database → core → HTTP and starts listening and sending. A setting that turns
 * out wrong only now (a busy port, an unreachable database, a data folder in use) is thrown as a
 * ConfigError naming it, after closing whatever was already opened.
 */
export interface ServerOptions {
  /** The channel adapters to run; by default those the config turns on. Tests pass their own. */
  adapters?: (core: Core) => ChannelAdapter[];
}

/** The adapters the configuration turns on: Teams always (local mode without an app id). */
function configuredAdapters(config: Config, logger: Logger) {
  return (core: Core): ChannelAdapter[] => {
    const adapters = [createTeamsAdapter({ config: config.teams, core, logger: logger.child({ channel: 'teams' }) })];
    if (config.whatsapp.enabled) {
      adapters.push(createWhatsAppAdapter({ config: config.whatsapp, dataDir: config.dataDir, core, logger: logger.child({ channel: 'whatsapp' }), mediaMaxBytes: config.bridge.mediaMaxBytes }));
    } else {
      logger.info('WhatsApp is off; set WHATSAPP_ENABLED=true to link a phone');
    }
    return adapters;
  };
}

export async function startServer(config: Config, logger: Logger, options: ServerOptions = {}): Promise<Server> {
  let database: Database;
  try {
    database = openDatabase(
      config.databaseUrl ? { url: config.databaseUrl } : { dataDir: path.join(config.dataDir, 'pglite') },
    );
  } catch (error) {
    throw databaseSettingError(error, config) ?? error;
  }

  let app: FastifyInstance | undefined;
  let adapters: ChannelAdapter[] = [];
  try {
    await database.migrate();
    logger.info({ engine: database.engine }, database.engine === 'pglite' ? `database: embedded PGlite in ${config.dataDir}` : 'database: PostgreSQL');

    const core = createCore({ db: database.db, logger, questions: { escalateAfterHours: config.questionEscalateAfterHours }, bridge: config.bridge });
    const { generated } = await core.tokens.bootstrap(config.adminToken);
    adapters = (options.adapters ?? configuredAdapters(config, logger))(core);
    for (const adapter of adapters) core.registerChannel(adapter.port);
    app = await buildApp({ config, core, database, logger, adapters });
    try {
      await app.listen({ port: config.port, host: config.host });
    } catch (error) {
      throw listenSettingError(error, config) ?? error;
    }
    core.dispatcher.start();
    core.scheduler.start();
    for (const adapter of adapters) await adapter.start();

    const running = app;
    let closing: Promise<void> | null = null;
    return {
      app,
      core,
      database,
      generatedAdminToken: generated,
      close: () =>
        (closing ??= (async () => {
          await running.close();
          // No more inbound: then the core finishes what it has.
          await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
          await core.drain();
          await database.close();
        })()),
    };
  } catch (error) {
    await app?.close().catch(() => {});
    await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
    // Also releases the PGlite data folder's lock, so a corrected start can take it.
    await database.close().catch(() => {});
    throw databaseSettingError(error, config) ?? error;
  }
}

/** The ConfigError for a database failure that a setting explains, else null. */
function databaseSettingError(error: unknown, config: Config): ConfigError | null {
  if (error instanceof ConfigError) return error;
  if (error instanceof DataDirInUseError) {
    const by = error.pid === null ? 'another process' : `process ${error.pid}`;
    return new ConfigError(
      `DATA_DIR ${config.dataDir} is in use by ${by}; stop it first (or remove ${error.lockFile} if no Samen runs there)`,
    );
  }
  if (error instanceof DatabaseUnreachableError && config.databaseUrl) {
    return new ConfigError(`DATABASE_URL ${redactUrl(config.databaseUrl)} cannot be connected to (${error.message})`);
  }
  // mkdir or the lock file failing under DATA_DIR (loadConfig checked the folder, not inside it).
  const e = error as NodeJS.ErrnoException;
  if (!config.databaseUrl && typeof e?.syscall === 'string' && typeof e.path === 'string' && e.path.startsWith(config.dataDir + path.sep)) {
    return new ConfigError(`DATA_DIR ${config.dataDir} cannot be written (${e.message})`);
  }
  return null;
}

/** The ConfigError naming HOST or PORT for a failed listen, else null. */
function listenSettingError(error: unknown, config: Config): ConfigError | null {
  const { code, message } = error as NodeJS.ErrnoException;
  const where = `${config.host}:${config.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return new ConfigError(`PORT ${config.port} is already in use (${where})`);
    case 'EACCES':
      return new ConfigError(`PORT ${config.port} cannot be bound (${where}: permission denied; ports below 1024 need privileges)`);
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EAI_NONAME':
    case 'EADDRNOTAVAIL':
    case 'EAFNOSUPPORT':
      return new ConfigError(`HOST ${config.host} cannot be bound (${message})`);
    default:
      return null;
  }
}
