import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, utimesSync, writeFileSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import { DataDirInUseError, openDatabase, READY_TIMEOUT_MS } from '../../src/db/client.js';
import { buildApp } from '../../src/http/app.js';

describe('the PGlite data folder lock', { timeout: 60_000 }, () => {
  const root = mkdtempSync(path.join(tmpdir(), 'samen-dblock-'));
  const dataDir = path.join(root, 'pglite');
  const lock = `${dataDir}.lock`;
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('refuses a second open of the same folder, also within one process, until the first closes', async () => {
    const first = openDatabase({ dataDir });
    expect(readFileSync(lock, 'utf8').trim()).toBe(String(process.pid));
    let refused: unknown;
    try {
      openDatabase({ dataDir });
    } catch (error) {
      refused = error;
    }
    expect(refused).toBeInstanceOf(DataDirInUseError);
    expect(refused).toMatchObject({ pid: process.pid, lockFile: lock });
    await first.close();
    expect(() => readFileSync(lock)).toThrow(/ENOENT/);

    const again = openDatabase({ dataDir });
    await again.close();
  });

  it('takes over a lock naming this very pid that it did not take (a restarted container reuses pids)', async () => {
    writeFileSync(lock, `${process.pid}\n`);
    const database = openDatabase({ dataDir });
    await database.close();
  });

  describe('a lock naming another live process', () => {
    let other: ChildProcess;
    afterAll(() => other?.kill('SIGKILL'));

    it('is refused when that process is older than the lock: it is the holder', async () => {
      other = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60_000)']);
      await new Promise((resolve) => other.once('spawn', resolve));
      writeFileSync(lock, `${other.pid}\n`);
      // Well after the process started, beyond the check's slack for clock rounding.
      utimesSync(lock, new Date(), new Date(Date.now() + 5_000));
      expect(() => openDatabase({ dataDir })).toThrow(DataDirInUseError);
      expect(readFileSync(lock, 'utf8').trim(), 'a refused open leaves the lock alone').toBe(String(other.pid));
    });

    it.runIf(process.platform === 'linux')('is taken over when that process started after the lock was written (pid reused after a reboot)', async () => {
      const anHourAgo = new Date(Date.now() - 3_600_000);
      utimesSync(lock, anHourAgo, anHourAgo);
      const database = openDatabase({ dataDir });
      expect(readFileSync(lock, 'utf8').trim()).toBe(String(process.pid));
      await database.close();
    });
  });
});

describe('readiness while the database hangs', { timeout: 30_000 }, () => {
  // Accepts connections and never answers: a PostgreSQL behind a dead network path.
  const sockets: Socket[] = [];
  const silent = createServer((socket) => sockets.push(socket));
  const listening = new Promise<number>((resolve) => silent.listen(0, '127.0.0.1', () => resolve((silent.address() as { port: number }).port)));
  afterAll(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => silent.close(resolve));
  });

  it('ready() answers false after READY_TIMEOUT_MS, and /readyz answers 503 as quickly', async () => {
    const database = openDatabase({ url: `postgres://postgres@127.0.0.1:${await listening}/samen`, poolSize: 1 });
    const logger = pino({ level: 'silent' });
    const app = await buildApp({
      config: { publicUrl: 'http://localhost:3000', rateLimitPerMinute: 0 },
      core: createCore({ db: database.db, logger }),
      database,
      logger,
    });
    try {
      let started = Date.now();
      expect(await database.ready()).toBe(false);
      expect(Date.now() - started).toBeGreaterThanOrEqual(READY_TIMEOUT_MS - 50);
      // Bounded, not timed: the point is that it does not wait for the hung database.
      expect(Date.now() - started).toBeLessThan(READY_TIMEOUT_MS + 2_000);

      started = Date.now();
      const res = await app.inject({ method: 'GET', url: '/readyz' });
      expect(res.statusCode).toBe(503);
      // Bounded, not timed: the point is that it does not wait for the hung database.
      expect(Date.now() - started).toBeLessThan(READY_TIMEOUT_MS + 2_000);
    } finally {
      await app.close();
      // The probes are still queued on the silent server: end without waiting for them.
      for (const socket of sockets) socket.destroy();
      await database.close();
    }
  });
});
