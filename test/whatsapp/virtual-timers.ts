import type { Timers } from '../../adapters/whatsapp/index.js';

/**
 * Timers on a fake clock: nothing fires until the test moves time. `drive(promise)` moves time
 * from one timer to the next (letting real I/O such as database calls finish in between) until
 * the promise settles, so a dispatcher round whose sends sleep for their pace slot completes in
 * milliseconds of real time.
 */
export function virtualTimers(clock: { now(): Date; advance(ms: number): void }) {
  let seq = 0;
  const pending = new Map<number, { at: number; fn: () => void; seq: number; sleep: boolean }>();
  const now = () => clock.now().getTime();
  const realTick = () => new Promise((resolve) => setTimeout(resolve, 1));

  const timers: Timers = {
    setTimeout(fn, ms) {
      const id = ++seq;
      pending.set(id, { at: now() + Math.max(0, ms), fn, seq: id, sleep: false });
      return id;
    },
    sleep(ms) {
      return new Promise<void>((resolve) => {
        const id = ++seq;
        pending.set(id, { at: now() + Math.max(0, ms), fn: resolve, seq: id, sleep: true });
      });
    },
    clearTimeout(handle) {
      pending.delete(handle as number);
    },
  };

  function next(sleepsOnly: boolean) {
    return [...pending.entries()].filter(([, t]) => !sleepsOnly || t.sleep).sort(([, a], [, b]) => a.at - b.at || a.seq - b.seq)[0];
  }

  /** Fires the earliest timer (or the earliest sleeping send), moving the clock to it; false when none is pending. */
  function fireNext(limit = Infinity, sleepsOnly = false): boolean {
    const first = next(sleepsOnly);
    if (!first || first[1].at > limit) return false;
    const [id, timer] = first;
    pending.delete(id);
    if (timer.at > now()) clock.advance(timer.at - now());
    timer.fn();
    return true;
  }

  /** Lets real work (database round trips) run: a few real timer turns. */
  async function settle(turns = 5) {
    for (let i = 0; i < turns; i++) await realTick();
  }

  return {
    timers,
    now,
    get pending() {
      return pending.size;
    },
    settle,
    /** Moves time forward by `ms`, firing the timers due on the way, in order. */
    async advance(ms: number) {
      const until = now() + ms;
      await settle();
      while (fireNext(until)) await settle();
      if (until > now()) clock.advance(until - now());
      await settle();
    },
    /**
     * Settles `promise`, moving time from one sleeping send to the next while it waits on them.
     * Other timers (a reconnect, a recycle) do not go off: only `advance` fires those.
     */
    async drive<T>(promise: Promise<T>, stepMs = 6_000): Promise<T> {
      let done = false;
      const result = promise.finally(() => {
        done = true;
      });
      while (!done) {
        await settle(3);
        if (done) break;
        if (!fireNext(now() + stepMs, true)) await realTick();
      }
      return result;
    },
  };
}

export type VirtualTimers = ReturnType<typeof virtualTimers>;
