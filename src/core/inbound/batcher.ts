export interface BatcherOptions {
  /** Most items one batch takes. */
  maxBatch: number;
  /** Batches in flight at once (each holds one database connection). */
  lanes: number;
}

/**
 * Group commit for the application: items that arrive while earlier batches are in flight are
 * handled together in the next batch, so a busy server spends one transaction on many messages
 * instead of one each. An idle server handles an item at once: nothing waits for a timer.
 */
export function createBatcher<I, O>(work: (items: I[]) => Promise<O[]>, options: BatcherOptions) {
  const queue: { item: I; resolve: (out: O) => void; reject: (error: unknown) => void }[] = [];
  let inFlight = 0;
  let waiters: (() => void)[] = [];

  function pump() {
    while (inFlight < options.lanes && queue.length > 0) {
      const batch = queue.splice(0, options.maxBatch);
      inFlight++;
      work(batch.map((b) => b.item))
        .then(
          (outs) => batch.forEach((b, i) => b.resolve(outs[i]!)),
          (error: unknown) => batch.forEach((b) => b.reject(error)),
        )
        .finally(() => {
          inFlight--;
          pump();
          if (inFlight === 0 && queue.length === 0) {
            for (const wake of waiters) wake();
            waiters = [];
          }
        });
    }
  }

  return {
    push(item: I): Promise<O> {
      return new Promise<O>((resolve, reject) => {
        queue.push({ item, resolve, reject });
        pump();
      });
    },
    /** Resolves once every item pushed so far has been handled. */
    idle(): Promise<void> {
      if (inFlight === 0 && queue.length === 0) return Promise.resolve();
      return new Promise((resolve) => waiters.push(resolve));
    },
  };
}
