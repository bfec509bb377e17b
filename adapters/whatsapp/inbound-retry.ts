/**
 * Inbound work the core could not take, kept and tried again. whatsapp-web.js delivers a message
 * once and never again, so when `core.receive` or `core.receiveEvent` throws (the database is
 * unreachable, its pool timed out: problems with one message the core answers in chat itself), the
 * message would be lost. Retrying is safe: the core records each message and event id in the
 * transaction of its effects (inbound/records.ts, channel-events.ts), so one that went through
 * before the error has no second effect.
 *
 * What waits is already mapped, so nothing is asked of WhatsApp again. It is retried with
 * exponential back-off and jitter, in arrival order per chat (something new for a chat with
 * something waiting queues behind it), within bounds: at most `maxItems` waiting — when full the
 * newest is dropped, so what waits in a chat stays the start of what its members wrote — and for
 * at most `maxWaitMs` after it first failed. On stop it gets one last try; what is left is logged.
 */
import type { Logger } from 'pino';
import { waitAtMost, type Timers, type Tracker } from './connection.js';

export interface InboundRetryDeps {
  logger: Logger;
  timers: Timers;
  now: () => number;
  random: () => number;
  track: Tracker['track'];
  /** Most items waiting at once; 0: no retries, a failure is logged and dropped. */
  maxItems: number;
  /** How long after its first failure an item is given up. */
  maxWaitMs: number;
}

/** What is handed to the core, for the logs: its kind ('message', 'poll vote', …), id and chat. */
export interface InboundItem {
  kind: string;
  id: string;
  chat: string;
}

interface Waiting extends InboundItem {
  deliver: () => Promise<unknown>;
  /** When it first failed (or was queued behind one that had). */
  since: number;
}

const RETRY_BASE_MS = 1_000;
const RETRY_MAX_MS = 60_000;
/** On stop, the last try may take this long (the server's whole shutdown has 15 s). */
const LAST_TRY_MS = 5_000;
/** Items named in one log line at most; the count says how many there were. */
const ITEMS_LOGGED = 100;

export function createInboundRetry(deps: InboundRetryDeps) {
  const { logger, timers, now, random, track, maxItems, maxWaitMs } = deps;
  /** What waits, per chat, in arrival order; a chat is here only while something of it waits. */
  const chats = new Map<string, Waiting[]>();
  let waiting = 0;
  /** Retry rounds that failed in a row: the back-off grows with them. */
  let failures = 0;
  let timer: unknown = null;
  let round: Promise<void> | null = null;
  let stopped = false;
  let backlogSince = 0;
  let retried = 0;

  const named = (items: InboundItem[]) => items.slice(0, ITEMS_LOGGED).map(({ kind, id, chat }) => ({ kind, messageId: id, chat }));

  function giveUp(items: InboundItem[], why: string, error?: unknown) {
    if (items.length === 0) return;
    logger.error({ ...(error === undefined ? {} : { err: error }), dropped: items.length, items: named(items) }, `WhatsApp inbound given up (${why}): the member's message is lost`);
  }

  function schedule(ms?: number) {
    if (stopped || timer !== null || round || waiting === 0) return;
    const exp = Math.min(RETRY_MAX_MS, RETRY_BASE_MS * 2 ** failures);
    timer = timers.setTimeout(
      () => {
        timer = null;
        void track(startRound());
      },
      ms ?? Math.round(exp / 2 + (exp / 2) * random()),
    );
  }

  function enqueue(item: Waiting, error?: unknown) {
    if (stopped) return giveUp([item], 'the adapter is stopping', error);
    if (waiting >= maxItems) return giveUp([item], `${maxItems} wait for a retry already, the newest is dropped`, error);
    if (waiting === 0) {
      backlogSince = now();
      retried = 0;
    }
    const queue = chats.get(item.chat);
    if (queue) queue.push(item);
    else chats.set(item.chat, [item]);
    waiting++;
    const fields = { kind: item.kind, messageId: item.id, chat: item.chat, waiting };
    if (error === undefined) logger.debug(fields, 'WhatsApp inbound waits behind earlier ones in its chat');
    else logger.warn({ err: error, ...fields }, 'WhatsApp inbound not handled by the core; it waits for a retry');
    schedule();
  }

  /** Hands a chat's items to the core in order; false when one failed (it and those behind it stay). */
  async function drainChat(chat: string, queue: Waiting[]): Promise<boolean> {
    while (queue.length > 0) {
      const item = queue[0]!;
      try {
        await item.deliver();
      } catch (error) {
        logger.debug({ err: error, kind: item.kind, messageId: item.id, chat }, 'WhatsApp inbound retry failed');
        return false;
      }
      // Unless given up meanwhile (stop lets go of what is still under way).
      if (queue[0] === item) {
        queue.shift();
        waiting--;
        retried++;
      }
    }
    if (chats.get(chat) === queue) chats.delete(chat);
    return true;
  }

  /** Drops what waited too long, then tries every chat's items (chats side by side). */
  async function retryAll(): Promise<boolean> {
    const expired: Waiting[] = [];
    for (const [chat, queue] of chats) {
      const fresh = queue.filter((item) => (now() - item.since < maxWaitMs ? true : (expired.push(item), false)));
      queue.splice(0, queue.length, ...fresh);
      if (fresh.length === 0) chats.delete(chat);
    }
    waiting -= expired.length;
    giveUp(expired, `not handled within ${Math.round(maxWaitMs / 60_000)} min`);
    const outcomes = await Promise.all([...chats].map(([chat, queue]) => drainChat(chat, queue)));
    return outcomes.every(Boolean);
  }

  function startRound(): Promise<void> {
    round = retryAll().then((ok) => {
      round = null;
      if (waiting === 0) {
        failures = 0;
        logger.info({ retried, waitedMs: now() - backlogSince }, 'WhatsApp inbound backlog handled');
        return;
      }
      failures = ok ? 0 : failures + 1;
      schedule();
    });
    return round;
  }

  return {
    /**
     * Hands an item to the core with `deliver`; when that throws, keeps it for a retry. Never
     * throws; resolves after the first try (or at once, when it queues behind its chat's).
     */
    async hand(item: InboundItem, deliver: () => Promise<unknown>): Promise<void> {
      if (chats.has(item.chat)) return enqueue({ ...item, deliver, since: now() });
      try {
        await deliver();
      } catch (error) {
        if (maxItems === 0) return giveUp([item], 'retries are off', error);
        return enqueue({ ...item, deliver, since: now() }, error);
      }
      // The core took this one while others wait: it is back, so they need not wait out their back-off.
      if (waiting > 0 && timer !== null) {
        timers.clearTimeout(timer);
        timer = null;
        failures = 0;
        schedule(0);
      }
    },
    /** How many items wait for a retry. */
    get waiting() {
      return waiting;
    },
    start() {
      stopped = false;
      failures = 0;
    },
    /** One last try for what waits (bounded), then lets go of what is left, logging it. */
    async stop() {
      if (stopped) return;
      stopped = true;
      if (timer !== null) timers.clearTimeout(timer);
      timer = null;
      const last = (async () => {
        await round;
        if (waiting > 0) await startRound();
      })();
      await waitAtMost(timers, last, LAST_TRY_MS);
      const left = [...chats.values()].flatMap((queue) => queue.splice(0));
      chats.clear();
      waiting = 0;
      giveUp(left, 'the adapter stopped before the core took it');
    },
  };
}

export type InboundRetry = ReturnType<typeof createInboundRetry>;
