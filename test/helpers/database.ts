import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import postgres from 'postgres';
import { inject } from 'vitest';
import { openDatabase, type Database } from '../../src/db/client.js';
import { withDatabase } from '../global-setup.js';

/** Which engine the suite runs on: a real PostgreSQL when TEST_DATABASE_URL is set. */
export const engine = (): 'postgres' | 'pglite' => (process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');

/**
 * A fresh, migrated database of its own: a PGlite copy of the template, or a PostgreSQL
 * database created from the template database and dropped again on close.
 */
export async function createTestDatabase(options: { poolSize?: number } = {}): Promise<Database> {
  const url = process.env.TEST_DATABASE_URL;
  const template = inject('postgresTemplate');
  if (!url || !template) {
    const tar = readFileSync(inject('pgliteTemplate'));
    return openDatabase({ dataDir: null, loadDataDir: new Blob([tar]) });
  }
  const name = `samen_test_${randomBytes(6).toString('hex')}`;
  const admin = postgres(url, { max: 1, onnotice: () => {} });
  try {
    await admin.unsafe(`create database ${name} template ${template}`);
  } finally {
    await admin.end();
  }
  const database = openDatabase({ url: withDatabase(url, name), poolSize: options.poolSize ?? 10 });
  return {
    ...database,
    async close() {
      await database.close();
      const cleanup = postgres(url, { max: 1, onnotice: () => {} });
      await cleanup.unsafe(`drop database if exists ${name} with (force)`);
      await cleanup.end();
    },
  };
}
