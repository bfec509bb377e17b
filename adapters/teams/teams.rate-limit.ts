/**
 * Microsoft's published limits for a bot posting to Teams: per conversation 7 messages a second
 * and 60 per 30 seconds; per app about 50 requests a second across all conversations.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit
 * Sliding windows over the times of recent sends: `take` either books a slot now or says how
 * long to wait, so the dispatcher can put the row back untried.
 */
export interface RateLimitOptions {
  appPerSecond: number;
  conversationPerSecond?: number;
  conversationPer30s?: number;
  now?: () => number;
}

const SECOND = 1_000;
const HALF_MINUTE = 30_000;

export function createRateLimiter({ appPerSecond, conversationPerSecond = 7, conversationPer30s = 60, now = Date.now }: RateLimitOptions) {
  const app: number[] = [];
  const conversations = new Map<string, number[]>();
  let sinceSweep = 0;

  /** Drops times older than `windowMs`, and says when the `limit`-th most recent one leaves. */
  function waitFor(times: number[], limit: number, windowMs: number, at: number): number {
    while (times.length > 0 && times[0]! <= at - windowMs) times.shift();
    if (times.length < limit) return 0;
    return times[times.length - limit]! + windowMs - at;
  }

  /** Forgets conversations that have been quiet for 30 s, so the map does not grow without end. */
  function sweep(at: number) {
    for (const [key, times] of conversations) if (times.length === 0 || times[times.length - 1]! <= at - HALF_MINUTE) conversations.delete(key);
  }

  return {
    /** Books a send to `conversation` now and returns 0, or returns the ms to wait without booking. */
    take(conversation: string): number {
      const at = now();
      if (++sinceSweep >= 1_000) {
        sinceSweep = 0;
        sweep(at);
      }
      const times = conversations.get(conversation) ?? [];
      // The 30 s window keeps up to 60 times; the 1 s check reads the newest of them.
      const wait = Math.max(
        waitFor(app, appPerSecond, SECOND, at),
        waitFor(times, conversationPer30s, HALF_MINUTE, at),
        recentWait(times, conversationPerSecond, at),
      );
      if (wait > 0) return Math.ceil(wait);
      app.push(at);
      times.push(at);
      conversations.set(conversation, times);
      return 0;
    },
  };
}

/** The wait until fewer than `limit` of the times fall in the last second (times are ascending). */
function recentWait(times: number[], limit: number, at: number): number {
  if (times.length < limit) return 0;
  const oldestOfLimit = times[times.length - limit]!;
  return oldestOfLimit > at - SECOND ? oldestOfLimit + SECOND - at : 0;
}
