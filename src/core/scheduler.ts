import type { Logger } from 'pino';

/** A job the scheduler runs each round: does what is due now, returns how much it did. */
export type ScheduledJob = { name: string; run(): Promise<number> };

/**
 * Runs time-based work (closing polls whose time is up, …) every `intervalMs`. Each job claims
 * its rows with row locks, so several instances may run side by side. Messages it produces go
 * out through the outbox like any other.
 */
export function createScheduler(jobs: ScheduledJob[], logger: Logger, intervalMs = 15_000) {
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<number> | null = null;

  async function runOnce(): Promise<number> {
    let total = 0;
    for (const job of jobs) {
      try {
        total += await job.run();
      } catch (error) {
        logger.error({ err: error, job: job.name }, 'scheduled job failed; it runs again next round');
      }
    }
    return total;
  }

  function schedule() {
    timer = setTimeout(async () => {
      running = runOnce();
      await running;
      running = null;
      if (timer) schedule();
    }, intervalMs);
    timer.unref();
  }

  return {
    runOnce,
    start() {
      if (!timer) schedule();
    },
    async stop() {
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
    },
  };
}
