/**
 * A database of its own for one benchmark run: an in-memory PGlite, or a fresh PostgreSQL
 * database (BENCH_DATABASE_URL, default postgres://postgres@127.0.0.1:5432/test) created for the
 * run and dropped after it. Migrating is the caller's part, as it is part of what some measure.
 */
import { randomBytes } from 'node:crypto';
import postgres from 'postgres';
import { openDatabase, type Database } from '../src/db/client.js';

export const BENCH_DATABASE_URL = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export async function withDatabase<T>(engine: 'pglite' | 'postgres' | string, work: (db: Database) => Promise<T>): Promise<T> {
  if (engine === 'pglite') {
    const db = openDatabase({ dataDir: null });
    try {
      return await work(db);
    } finally {
      await db.close();
    }
  }
  const name = `samen_bench_${randomBytes(4).toString('hex')}`;
  const admin = postgres(BENCH_DATABASE_URL, { max: 1, onnotice: () => {} });
  await admin.unsafe(`create database ${name}`);
  const url = new URL(BENCH_DATABASE_URL);
  url.pathname = `/${name}`;
  const db = openDatabase({ url: url.toString(), poolSize: 10 });
  try {
    return await work(db);
  } finally {
    await db.close();
    await admin.unsafe(`drop database if exists ${name} with (force)`);
    await admin.end();
  }
}
