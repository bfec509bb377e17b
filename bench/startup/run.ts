/**
 * bench/startup: how long `npm start` (build, node, open PGlite, migrations, listen) takes until
 * /readyz answers 200 when its PGlite data folder already exists. Target: within 3 s.
 *
 *   npm run bench:startup -- [--runs 5]
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '5' } } });
const root = path.resolve(import.meta.dirname, '../..');
const dataDir = mkdtempSync(path.join(tmpdir(), 'samen-bench-startup-'));
const port = 39_000 + Math.floor(Math.random() * 1000);

async function startOnce(): Promise<number> {
  const started = performance.now();
  // Exactly what a user types; its own process group, so the stop reaches the server too.
  const child = spawn('npm', ['start', '--silent'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', PORT: String(port), HOST: '127.0.0.1', DATA_DIR: dataDir, LOG_LEVEL: 'warn' },
    stdio: 'ignore',
    detached: true,
  });
  try {
    for (;;) {
      try {
        const res = await fetch(`http://127.0.0.1:${port}/readyz`);
        if (res.status === 200) return performance.now() - started;
      } catch {
        // not listening yet
      }
      if (performance.now() - started > 60_000) throw new Error('not ready within 60 s');
      await new Promise((r) => setTimeout(r, 20));
    }
  } finally {
    await new Promise((resolve) => {
      child.on('exit', resolve);
      process.kill(-child.pid!, 'SIGTERM');
    });
  }
}

const first = await startOnce();
console.log(`first start (creates and migrates the data folder): ${(first / 1000).toFixed(2)} s`);
const times: number[] = [];
for (let i = 0; i < Number(values.runs); i++) times.push(await startOnce());
times.sort((a, b) => a - b);
console.log(
  `start with existing data, ${times.length} runs: median ${(times[Math.floor(times.length / 2)]! / 1000).toFixed(2)} s, ` +
    `max ${(times.at(-1)! / 1000).toFixed(2)} s`,
);
rmSync(dataDir, { recursive: true, force: true });
