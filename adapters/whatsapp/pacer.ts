/**
 * When the next message may go out. WhatsApp bans numbers that send like bots, so sends are
 * spaced: at least `paceMs` plus up to `jitterMs` at random between any two sends, and at least
 * `chatIntervalMs` between two sends to one chat.
 *
 * Sends ask for a slot; a slot is reserved at once (no await in between), so concurrent sends
 * (the dispatcher sends to different chats side by side) never share a gap. A send whose slot is
 * far off does not sleep (the dispatcher times a send out after 30 s): it is deferred, and its
 * slot stays reserved under its outbox id, so it finds the same slot when it comes back instead of
 * queueing behind everything that arrived meanwhile. A slot not claimed back expires.
 */
export interface PacerOptions {
  paceMs: number;
  jitterMs: number;
  chatIntervalMs: number;
  /** Sleep up to this long for a slot; beyond, defer. */
  maxWaitMs: number;
  random: () => number;
}

interface Slot {
  at: number;
  /** The gap after this slot: pace plus this slot's jitter. */
  gap: number;
  key: string;
  chat: string;
}

export type Reservation = { kind: 'wait'; at: number; slot: Slot } | { kind: 'defer'; at: number };

export function createPacer(options: PacerOptions) {
  /** Slots handed out and not yet expired, in time order. */
  let slots: Slot[] = [];
  /** When each chat last got a message (or has one reserved). */
  const chatLast = new Map<string, number>();

  const expiry = () => Math.max(60_000, options.maxWaitMs * 4);

  function prune(now: number) {
    const before = now - expiry();
    if (slots.length && slots[0]!.at < before) slots = slots.filter((s) => s.at >= before);
    if (chatLast.size > 10_000) {
      for (const [chat, at] of chatLast) if (at + options.chatIntervalMs < now) chatLast.delete(chat);
    }
  }

  /** The earliest time ≥ `from` where a send with gap `gap` fits between the reserved slots. */
  function fit(from: number, gap: number): number {
    let t = from;
    for (const s of slots) {
      if (s.at + s.gap <= t) continue; // entirely before
      if (t + gap <= s.at) break; // fits before this one (slots are sorted)
      t = Math.max(t, s.at + s.gap);
    }
    return t;
  }

  return {
    /**
     * Reserves a slot for outbox row `key` to `chat`; 'wait' says sleep until `at` then send,
     * 'defer' says come back at `at` (the slot stays reserved for this key).
     */
    reserve(key: string, chat: string, now: number): Reservation {
      prune(now);
      const mine = slots.findIndex((s) => s.key === key);
      let previous: Slot | undefined;
      if (mine >= 0) [previous] = slots.splice(mine, 1);
      const gap = previous?.gap ?? options.paceMs + Math.round(options.jitterMs * options.random());
      const lastInChat = chatLast.get(chat);
      const chatFrom = lastInChat === undefined || previous ? now : lastInChat + options.chatIntervalMs;
      const at = fit(Math.max(now, previous?.at ?? now, chatFrom), gap);
      const slot: Slot = { at, gap, key, chat };
      slots.push(slot);
      slots.sort((a, b) => a.at - b.at);
      chatLast.set(chat, at);
      return at - now > options.maxWaitMs ? { kind: 'defer', at } : { kind: 'wait', at, slot };
    },
    /** The send in this slot did not happen (not connected, failed before sending): free it. */
    release(slot: Slot) {
      slots = slots.filter((s) => s !== slot);
    },
    /** Slots reserved now (for tests and status). */
    get reserved() {
      return slots.length;
    },
  };
}

export type Pacer = ReturnType<typeof createPacer>;
