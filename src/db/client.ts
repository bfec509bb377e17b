import { mkdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import type { PgDatabase, PgQueryResultHKT } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { migrate as migratePglite } from 'drizzle-orm/pglite/migrator';
import { drizzle as drizzlePostgres } from 'drizzle-orm/postgres-js';
import { migrate as migratePostgres } from 'drizzle-orm/postgres-js/migrator';
import { sql } from 'drizzle-orm';
import postgres from 'postgres';
import * as schema from './schema/index.js';

export type Schema = typeof schema;
/** The drizzle database, the same type on PGlite and on PostgreSQL. */
export type Db = PgDatabase<PgQueryResultHKT, Schema>;
/** A transaction or the database itself: services accept either. */
export type Tx = Parameters<Parameters<Db['transaction']>[0]>[0] | Db;

export const MIGRATIONS_FOLDER = path.resolve(import.meta.dirname, '../../drizzle');

export interface Database {
  db: Db;
  engine: 'pglite' | 'postgres';
  /** Applies the committed migrations in drizzle/; safe to run on every start. */
  migrate(): Promise<void>;
  /** True when the database answers and every committed migration has been applied. */
  ready(): Promise<boolean>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | { url: string; poolSize?: number }
  | { dataDir: string | null; loadDataDir?: Blob };

/** Opens PostgreSQL through postgres.js when a URL is given, else an embedded PGlite. */
export function openDatabase(options: DatabaseOptions): Database {
  return 'url' in options ? openPostgres(options.url, options.poolSize) : openPglite(options);
}

function openPostgres(url: string, poolSize = 10): Database {
  // onnotice: PostgreSQL's NOTICEs ("relation already exists, skipping") are noise in our logs.
  const client = postgres(url, { max: poolSize, onnotice: () => {} });
  const db = drizzlePostgres(client, { schema }) as unknown as Db;
  return {
    db,
    engine: 'postgres',
    migrate: () => migratePostgres(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    ready: () => migrationsApplied(db),
    close: () => client.end({ timeout: 5 }),
  };
}

function openPglite(options: { dataDir: string | null; loadDataDir?: Blob }): Database {
  if (options.dataDir) mkdirSync(options.dataDir, { recursive: true });
  const client = new PGlite({
    dataDir: options.dataDir ?? undefined,
    loadDataDir: options.loadDataDir,
  });
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    engine: 'pglite',
    migrate: () => migratePglite(db as never, { migrationsFolder: MIGRATIONS_FOLDER }),
    ready: () => migrationsApplied(db),
    close: () => client.close(),
  };
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
