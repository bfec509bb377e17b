import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

export interface Running {
  child: ChildProcess;
  port: number;
  stdout: () => string;
  stderr: () => string;
}

/** Starts the real server as `npm start` does (built by the global setup) and waits until it listens. */
export function start(env: Record<string, string>): Promise<Running> {
  const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.mjs'], {
    cwd: root,
    env: { PATH: process.env.PATH ?? '', PORT: '0', HOST: '127.0.0.1', LOG_LEVEL: 'info', ...env },
  });
  let out = '';
  let err = '';
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  return new Promise((resolve, reject) => {
    // A guard against a start that hangs, not a speed test (bench/startup is): a loaded CI machine
    // with both test workers busy has taken over 20 s for a first start with migrations.
    const timer = setTimeout(() => reject(new Error(`no start within 60 s:\n${out}\n${err}`)), 60_000);
    child.stdout.on('data', (d: Buffer) => {
      out += d.toString();
      const match = /"msg":"Server listening at http:\/\/127\.0\.0\.1:(\d+)"/.exec(out);
      // "Samen listening" comes last, after the one-time token banner.
      if (match && out.includes('Samen listening')) {
        clearTimeout(timer);
        resolve({ child, port: Number(match[1]), stdout: () => out, stderr: () => err });
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${code} before listening:\n${out}\n${err}`));
    });
  });
}

/** SIGTERM, then the exit code. */
export function stop(running: Running): Promise<number | null> {
  return new Promise((resolve) => {
    if (running.child.exitCode !== null) return resolve(running.child.exitCode);
    running.child.on('exit', (code) => resolve(code));
    running.child.kill('SIGTERM');
  });
}

/** Runs the server to its exit (one that is expected to refuse to start). */
export function run(env: Record<string, string>): Promise<{ code: number | null; stderr: string; stdout: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ['--enable-source-maps', 'dist/main.mjs'], {
      cwd: root,
      env: { PATH: process.env.PATH ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    // A server that starts after all must not outlive the test run.
    const timer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr, stdout });
    });
  });
}
