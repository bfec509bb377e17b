import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';

/** Another live process has the PGlite data folder open (pid null: its lock names none). */
export class DataDirInUseError extends Error {
  constructor(
    readonly lockFile: string,
    readonly pid: number | null,
  ) {
    super(`${lockFile} is held by ${pid === null ? 'another process' : `process ${pid}`}`);
  }
}

/** Lock files this process holds: a second open of the same folder here is refused too. */
const held = new Set<string>();

/**
 * Takes the lock file of a PGlite data folder, or throws DataDirInUseError. Each process runs
 * its own WASM PostgreSQL on the files, so two at once corrupt them. The file holds the pid;
 * one whose process is gone (a crash, a kill -9) is taken over. Returns the release.
 */
export function lockDataDir(file: string): () => void {
  for (let attempt = 1; ; attempt++) {
    try {
      writeFileSync(file, `${process.pid}\n`, { flag: 'wx' });
      break;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const pid = lockHolder(file);
    // Attempt 3: others keep taking it over at the same moment; let them have it.
    if ((pid !== null && holds(pid, file)) || attempt === 3) throw new DataDirInUseError(file, pid);
    rmSync(file, { force: true });
  }
  held.add(file);
  // A process.exit() skips close(); the next start would still take over, but cleanly is better.
  const onExit = () => release();
  process.on('exit', onExit);
  function release() {
    process.off('exit', onExit);
    if (!held.delete(file)) return;
    // Only our own lock: had it been taken over meanwhile, it is no longer ours to remove.
    if (lockHolder(file) === process.pid) rmSync(file, { force: true });
  }
  return release;
}

/** The pid in a lock file; null when it is gone, empty or not a pid (treated as stale). */
function lockHolder(file: string): number | null {
  try {
    const pid = Number(readFileSync(file, 'utf8').trim());
    return Number.isInteger(pid) && pid > 0 ? pid : null;
  } catch {
    return null;
  }
}

/** Whether the process `pid` is alive and is the one that wrote the lock. */
function holds(pid: number, file: string): boolean {
  // Our own pid on a lock we did not take: a previous life in a container, where pids repeat.
  if (pid === process.pid) return held.has(file);
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: alive, only someone else's.
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return false;
  }
  const written = statSync(file, { throwIfNoEntry: false })?.mtimeMs;
  // Gone meanwhile: its holder just let go.
  return written !== undefined && !startedAfter(pid, written);
}

/**
 * Linux: whether `pid` started after `time` (ms), so it reuses the pid of a holder that is gone
 * (after a reboot, say). Elsewhere false: a live pid is then taken to be the holder.
 */
function startedAfter(pid: number, time: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Field 22, counted after the parenthesised command name (which may hold spaces).
    const ticks = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19]);
    const boot = Number(/^btime (\d+)$/m.exec(readFileSync('/proc/stat', 'utf8'))?.[1]);
    // Ticks are USER_HZ, 100 on Linux; a second of slack for btime's rounding.
    const started = boot * 1000 + ticks * 10;
    return Number.isFinite(started) && started > time + 1_000;
  } catch {
    return false;
  }
}
