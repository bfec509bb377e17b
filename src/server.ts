import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Config } from './config.js';
import { createCore, type Core } from './core/index.js';
import { openDatabase, type Database } from './db/client.js';
import { buildApp } from './http/app.js';

export interface Server {
  app: FastifyInstance;
  core: Core;
  database: Database;
  /** The admin token generated on this start (first start without ADMIN_TOKEN), else null. */
  generatedAdminToken: string | null;
  /** Stops taking requests, finishes sends in flight, closes the database. */
  close(): Promise<void>;
}

/** Wires config → database → core → HTTP and starts listening and sending. */
export async function startServer(config: Config, logger: Logger): Promise<Server> {
  const database = openDatabase(
    config.databaseUrl ? { url: config.databaseUrl } : { dataDir: path.join(config.dataDir, 'pglite') },
  );
  try {
    await database.migrate();
  } catch (error) {
    await database.close().catch(() => {});
    throw error;
  }
  logger.info({ engine: database.engine }, database.engine === 'pglite' ? `database: embedded PGlite in ${config.dataDir}` : 'database: PostgreSQL');

  const core = createCore({ db: database.db, logger });
  const { generated } = await core.tokens.bootstrap(config.adminToken);
  const app = await buildApp({ config, core, database, logger });
  await app.listen({ port: config.port, host: config.host });
  core.dispatcher.start();

  let closing: Promise<void> | null = null;
  return {
    app,
    core,
    database,
    generatedAdminToken: generated,
    close: () =>
      (closing ??= (async () => {
        await app.close();
        await core.dispatcher.stop();
        await database.close();
      })()),
  };
}
