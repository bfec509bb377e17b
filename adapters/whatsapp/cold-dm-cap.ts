import type { ConversationReferences } from '../../src/core/channel.js';

/** Where the day's count of cold direct messages is kept (not a chat address: no chat id has no `@`). */
export const COLD_DM_COUNTER = 'whatsapp:cold-dms';

const DAY_MS = 86_400_000;
const dayOf = (now: number) => new Date(now).toISOString().slice(0, 10);

/**
 * The daily cap on direct messages to people who never wrote to the bot themselves ("cold"
 * messages are what gets numbers banned). Who wrote to the bot and the day's count are kept in
 * the conversation references, so a restart neither forgets a person nor resets the count.
 */
export function createColdDmCap(references: ConversationReferences, cap: number) {
  const warm = new Set<string>();
  let counter: { day: string; count: number } | null = null;

  let loading: Promise<void> | null = null;

  async function load(now: number) {
    // Read once, however many sends ask at the same moment: a second read finishing after the
    // first send took one from the cap would put the stored (older) count back.
    loading ??= references.get(COLD_DM_COUNTER).then((stored) => {
      counter ??= {
        day: typeof stored?.day === 'string' ? stored.day : dayOf(now),
        count: typeof stored?.count === 'number' ? stored.count : 0,
      };
    });
    await loading.catch((error: unknown) => {
      loading = null;
      throw error;
    });
    // Set by the read above (the only place that leaves it null is before the first read).
    if (counter!.day !== dayOf(now)) counter = { day: dayOf(now), count: 0 };
    return counter!;
  }

  async function isWarm(address: string): Promise<boolean> {
    if (warm.has(address)) return true;
    const stored = await references.get(address);
    if (stored?.wroteToBot) warm.add(address);
    return warm.has(address);
  }

  /** Milliseconds until the next UTC day, when the cap opens again. */
  const untilTomorrow = (now: number) => DAY_MS - (now % DAY_MS);

  return {
    /** Someone wrote to the bot in a direct chat: messages to them are never cold. */
    async markWarm(address: string, now: number): Promise<void> {
      if (warm.has(address)) return;
      warm.add(address);
      await references.put(address, 'whatsapp', { wroteToBot: true, firstAt: new Date(now).toISOString() }).catch((error: unknown) => {
        // Not stored: forgotten again, so the retry of the message stores it.
        warm.delete(address);
        throw error;
      });
    },
    /**
     * Before a direct message: null when it may go, else how long to wait (the cap is used up
     * for today). Counts nothing; `take` does.
     */
    async check(address: string, now: number): Promise<number | null> {
      if (await isWarm(address)) return null;
      const c = await load(now);
      return c.count < cap ? null : untilTomorrow(now);
    },
    /**
     * Right before sending a direct message that `check` let through: takes one from today's
     * cap, synchronously, so two sends at once cannot both take the last one. Returns false when
     * there is none left (or it was cold and the count is not loaded), and a promise that
     * persists the count.
     */
    take(address: string, now: number): { ok: boolean; saved: Promise<void> } {
      if (warm.has(address)) return { ok: true, saved: Promise.resolve() };
      if (!counter) return { ok: false, saved: Promise.resolve() };
      if (counter.day !== dayOf(now)) counter = { day: dayOf(now), count: 0 };
      if (counter.count >= cap) return { ok: false, saved: Promise.resolve() };
      counter.count++;
      const snapshot = { ...counter };
      return { ok: true, saved: references.put(COLD_DM_COUNTER, 'whatsapp', snapshot) };
    },
    untilTomorrow,
  };
}

export type ColdDmCap = ReturnType<typeof createColdDmCap>;
