import { accessSync, constants, existsSync, mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import { lockDataDir } from './data-dir-lock.js';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The drizzle database, the same type on PGlite and on PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database itself: services accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

/** drizzle/ at the project's root, found from src/db (tsx) or from dist/ (the built server). */
export const MIGRATIONS_FOLDER = findUp(import.meta.dirname, 'drizzle/meta/_journal.json');

function findUp(from: string, file: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    if (existsSync(path.join(dir, file))) return path.join(dir, 'drizzle');
    if (path.dirname(dir) === dir) throw new Error(`no ${file} above ${from}`);
  }
}

export interface Database {
  db: Db;
  engine: 'pglite' | 'postgres';
  /** Applies the committed migrations in drizzle/; safe to run on every start. */
  migrate(): Promise<void>;
  /**
   * True when the database answers and every committed migration has been applied; false
   * after READY_TIMEOUT_MS, so a health check gets an answer while the database hangs.
   */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { url: string; poolSize?: number }
  | { dataDir: string | null; loadDataDir?: Blob };

/** How long ready() waits for the database before answering false. */
export const READY_TIMEOUT_MS = 2_000;

/** PostgreSQL at the URL could not be reached or refused us; the message is the driver's reason. */
export class DatabaseUnreachableError extends Error {}

export { DataDirInUseError } from './data-dir-lock.js';

/** Opens PostgreSQL through postgres.js when a URL is given, else an embedded PGlite. */
export function openDatabase(options: DatabaseOptions): Database {
  return 'url' in options ? openPostgres(options.url, options.poolSize) : openPglite(options);
}

function openPostgres(url: string, poolSize = 10): Database {
  // onnotice: PostgreSQL's NOTICEs ("relation already exists, skipping") are noise in our logs.
  // connect_timeout: a start against an unreachable host says so in 10 s instead of 30.
  // plan_cache_mode: a statement prepared by name (statement.ts) is planned once per connection.
  // Left to choose, PostgreSQL planned the outbox insert afresh at every batch (0.8 ms, more than
  // running it). drizzle's other statements are unnamed, and planned each time as before.
  const client = postgres(url, { max: poolSize, onnotice: () => {}, connect_timeout: 10, connection: { plan_cache_mode: 'force_generic_plan' } });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    engine: 'postgres',
    async migrate() {
      // A probe first, so "cannot connect" is told apart from a migration that fails.
      try {
        await client`select 1`;
      } catch (error) {
        throw new DatabaseUnreachableError(driverReason(error, url), { cause: error });
      }
      await migratePostgres(db as never, { migrationsFolder: MIGRATIONS_FOLDER });
    },
    ready: () => withinReadyTimeout(migrationsApplied(db)),
    close: () => client.end({ timeout: 5 }),
  };
}

/** The URL without its password, fit to print. */
export function redactUrl(url: string): string {
  // Up to the last "@": an unencoded "@" in a password still ends up hidden.
  return url.replace(/^([a-z]+:\/\/[^:@/]*):.*@/i, '$1:***@');
}

/** The driver's one-line reason, with the password cut out should it ever appear in one. */
function driverReason(error: unknown, url: string): string {
  const e = error as { message?: string; code?: string; errors?: { message?: string }[] };
  // Node's happy-eyeballs connect fails with an AggregateError whose own message is empty.
  let reason = e.message || e.errors?.[0]?.message || e.code || String(error);
  reason = reason.split('\n')[0]!;
  let password = '';
  try {
    password = decodeURIComponent(new URL(url).password);
  } catch {
    // An unparseable URL: postgres.js would have failed on it too; nothing to cut.
  }
  // Short passwords would mangle ordinary words; no driver message quotes one anyway.
  return password.length >= 4 ? reason.split(password).join('***') : reason;
}

function openPglite(options: { dataDir: string | null; loadDataDir?: Blob }): Database {
  let release = () => {};
  if (options.dataDir) {
    mkdirSync(options.dataDir, { recursive: true });
    // An errno error naming the folder now, rather than an opaque one from inside the WASM.
    accessSync(options.dataDir, constants.W_OK);
    release = lockDataDir(`${options.dataDir}.lock`);
  }
  let client: PGlite;
  try {
    client = new PGlite({ dataDir: options.dataDir ?? undefined, loadDataDir: options.loadDataDir });
  } catch (error) {
    release();
    throw error;
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    ready: () => withinReadyTimeout(migrationsApplied(db)),
    async close() {
      try {
        await client.close();
      } finally {
        release();
      }
    },
  };
}

/** `check`, or false when it takes longer than READY_TIMEOUT_MS. */
async function withinReadyTimeout(check: Promise<boolean>): Promise<boolean> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), READY_TIMEOUT_MS);
  });
  try {
    return await Promise.race([check, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

const journal = JSON.parse(readFileSync(path.join(MIGRATIONS_FOLDER, 'meta/_journal.json'), 'utf8')) as {
  entries: unknown[];
};

async function migrationsApplied(db: Db): Promise<boolean> {
  try {
    const rows = await db.execute<{ n: number }>(
      sql`select count(*)::int as n from drizzle.__drizzle_migrations`,
    );
    const first = (Array.isArray(rows) ? rows[0] : (rows as { rows: { n: number }[] }).rows[0]) as
      | { n: number }
      | undefined;
    return (first?.n ?? 0) >= journal.entries.length;
  } catch {
    return false;
  }
}
