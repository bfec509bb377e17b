import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import postgres from 'postgres';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { withDatabase } from '../global-setup.js';
import { run, start, stop } from './spawn.js';

describe('npm start', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'samen-start-'));
  const base = process.env.TEST_DATABASE_URL;
  const dbName = `samen_start_${randomBytes(4).toString('hex')}`;
  const env: Record<string, string> = { DATA_DIR: dataDir };

  beforeAll(async () => {
    if (!base) return;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`create database ${dbName}`);
    await admin.end();
    env.DATABASE_URL = withDatabase(base, dbName);
  });

  afterAll(async () => {
    rmSync(dataDir, { recursive: true, force: true });
    if (!base) return;
    const admin = postgres(base, { max: 1, onnotice: () => {} });
    await admin.unsafe(`drop database if exists ${dbName} with (force)`);
    await admin.end();
  });

  it('starts on an empty data folder, shows an admin token once, and that token works', async () => {
    const server = await start(env);
    try {
      const token = /samen_[A-Za-z0-9_-]{43}/.exec(server.stdout())?.[0];
      expect(token, 'the generated admin token is printed').toBeDefined();
      const ready = await fetch(`http://127.0.0.1:${server.port}/readyz`);
      expect(ready.status).toBe(200);
      const list = await fetch(`http://127.0.0.1:${server.port}/v1/communities`, {
        headers: { authorization: `Bearer ${token}` },
      });
      expect(list.status).toBe(200);
      expect(await list.json()).toMatchObject({ items: [], total: 0 });
    } finally {
      expect(await stop(server)).toBe(0);
    }
  });

  it('starts again on the same data, with no new token, and stops cleanly on SIGTERM', async () => {
    const server = await start(env);
    try {
      expect(server.stdout()).not.toMatch(/samen_[A-Za-z0-9_-]{43}/);
      expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(200);
    } finally {
      expect(await stop(server)).toBe(0);
    }
    expect(server.stdout()).toContain('shutting down');
  });

  it('keeps an ADMIN_TOKEN from the environment as a working token', async () => {
    const adminToken = 'a-token-the-operator-chose-0123456789';
    const server = await start({ ...env, ADMIN_TOKEN: adminToken });
    try {
      const res = await fetch(`http://127.0.0.1:${server.port}/v1/tokens`, {
        headers: { authorization: `Bearer ${adminToken}` },
      });
      expect(res.status).toBe(200);
      expect(server.stdout()).not.toContain(adminToken);
    } finally {
      await stop(server);
    }
  });

  it('refuses a bad setting with one line that names it', async () => {
    const { code, stderr } = await run({ PORT: 'eighty', DATA_DIR: dataDir });
    expect(code).toBe(1);
    expect(stderr.trim()).toBe('samen: configuration error: PORT must be a whole number from 0 to 65535, got "eighty"');
  });
});
