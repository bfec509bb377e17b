import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server as NetServer } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { run, start, stop } from './spawn.js';

/** Asserts the process refused to start with exactly one stderr line naming `variable`. */
function expectRefusal(result: { code: number | null; stderr: string }, variable: string): string {
  expect(result.code, result.stderr).toBe(1);
  const lines = result.stderr.trimEnd().split('\n');
  expect(lines, 'one line, no stack trace').toHaveLength(1);
  expect(lines[0]).toMatch(new RegExp(`^samen: configuration error: ${variable} `));
  return lines[0]!;
}

/** The pid of a process that has exited: a crashed server's pid left in its lock. */
function deadPid(): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['-e', '']);
    child.on('exit', () => resolve(child.pid!));
  });
}

describe('a setting that is only found wrong on use', { timeout: 120_000 }, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'samen-refuse-'));
  const local = { DATA_DIR: dataDir, HOST: '127.0.0.1', PORT: '0' };
  let busy: NetServer;
  let busyPort: number;

  beforeAll(async () => {
    busy = createServer();
    await new Promise<void>((resolve) => busy.listen(0, '127.0.0.1', resolve));
    busyPort = (busy.address() as { port: number }).port;
  });

  afterAll(async () => {
    await new Promise((resolve) => busy.close(resolve));
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('DATA_DIR that cannot be created: one line naming it', async () => {
    const line = expectRefusal(await run({ DATA_DIR: '/dev/null/x' }), 'DATA_DIR');
    expect(line).toBe('samen: configuration error: DATA_DIR /dev/null/x cannot be written (/dev/null is not a folder)');
  });

  it('PORT already in use: one line naming it, and the data folder is left unlocked', async () => {
    const line = expectRefusal(await run({ ...local, PORT: String(busyPort) }), 'PORT');
    expect(line).toContain(`PORT ${busyPort} is already in use`);
    expect(existsSync(path.join(dataDir, 'pglite.lock'))).toBe(false);
  });

  it('HOST that does not resolve: one line naming it', async () => {
    const line = expectRefusal(await run({ ...local, HOST: 'no.such.host.invalid' }), 'HOST');
    expect(line).toContain('no.such.host.invalid');
  });

  it('DATABASE_URL that cannot be reached: one line naming it, with the driver’s reason', async () => {
    const line = expectRefusal(await run({ ...local, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/nope' }), 'DATABASE_URL');
    expect(line).toContain('ECONNREFUSED');
  });

  it('DATABASE_URL: the password is never printed', async () => {
    const result = await run({ ...local, DATABASE_URL: 'postgres://samen:Secret-Pass-42@127.0.0.1:1/nope' });
    const line = expectRefusal(result, 'DATABASE_URL');
    expect(line).toContain('postgres://samen:***@127.0.0.1:1/nope');
    expect(result.stderr + result.stdout).not.toContain('Secret-Pass-42');
  });

  it.skipIf(!process.env.TEST_DATABASE_URL)('DATABASE_URL whose credentials PostgreSQL refuses: one line naming it', async () => {
    const url = new URL(process.env.TEST_DATABASE_URL!);
    url.username = 'samen_no_such_role';
    url.password = 'Secret-Pass-42';
    const result = await run({ ...local, DATABASE_URL: url.toString() });
    const line = expectRefusal(result, 'DATABASE_URL');
    expect(line).toContain('samen_no_such_role');
    expect(result.stderr + result.stdout).not.toContain('Secret-Pass-42');
  });
});

describe('one process per data folder', { timeout: 150_000 }, () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'samen-lock-'));
  const lock = path.join(dataDir, 'pglite.lock');
  // PGlite on purpose, even with TEST_DATABASE_URL: the lock guards PGlite's files.
  const env = { DATA_DIR: dataDir };

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second server on the same DATA_DIR while the first runs, naming the folder and its pid', async () => {
    const first = await start(env);
    try {
      const line = expectRefusal(await run({ ...env, HOST: '127.0.0.1', PORT: '0' }), 'DATA_DIR');
      expect(line).toContain(`DATA_DIR ${dataDir} is in use by process ${first.child.pid}`);
      // The refused one left the first's lock and files alone.
      expect(readFileSync(lock, 'utf8').trim()).toBe(String(first.child.pid));
      expect((await fetch(`http://127.0.0.1:${first.port}/readyz`)).status).toBe(200);
    } finally {
      expect(await stop(first)).toBe(0);
    }
    expect(existsSync(lock), 'a clean stop removes the lock').toBe(false);
  });

  it('starts on that DATA_DIR once the first has stopped', async () => {
    const second = await start(env);
    try {
      expect((await fetch(`http://127.0.0.1:${second.port}/readyz`)).status).toBe(200);
    } finally {
      expect(await stop(second)).toBe(0);
    }
  });

  it('takes over a stale lock whose process is gone (a crash)', async () => {
    writeFileSync(lock, `${await deadPid()}\n`);
    const server = await start(env);
    try {
      expect(readFileSync(lock, 'utf8').trim()).toBe(String(server.child.pid));
      expect((await fetch(`http://127.0.0.1:${server.port}/readyz`)).status).toBe(200);
    } finally {
      expect(await stop(server)).toBe(0);
    }
    expect(existsSync(lock)).toBe(false);
  });
});
