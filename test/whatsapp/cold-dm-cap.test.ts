import { describe, expect, it } from 'vitest';
import { COLD_DM_COUNTER, createColdDmCap } from '../../adapters/whatsapp/cold-dm-cap.js';
import type { ConversationReferences } from '../../src/core/channel.js';

/** References in memory; the first read of the day's count is slow, as on a busy database. */
function slowReferences(stored: Record<string, Record<string, unknown>> = {}): ConversationReferences {
  let countReads = 0;
  return {
    async get(address) {
      const value = stored[address] ?? null;
      const delay = address === COLD_DM_COUNTER && countReads++ === 0 ? 30 : 1;
      await new Promise((resolve) => setTimeout(resolve, delay));
      return value;
    },
    async put(address, _channel, reference) {
      stored[address] = reference;
    },
  };
}

describe('the daily cap on cold direct messages', () => {
  const now = Date.parse('2026-03-02T09:00:00Z');

  it('holds when several sends ask at the same moment, before the count was ever read', async () => {
    const cap = createColdDmCap(slowReferences({ [COLD_DM_COUNTER]: { day: '2026-03-02', count: 1 } }), 2);
    const [slow, quick] = ['whatsapp:31650000001@c.us', 'whatsapp:31650000002@c.us'];
    // Two sends to different chats side by side: the first to ask reads the count slowly; the
    // second reads it sooner and takes the last one of the day before the first's read is back.
    const slowCheck = cap.check(slow, now);
    expect(await cap.check(quick, now)).toBeNull();
    expect(cap.take(quick, now).ok).toBe(true);
    await slowCheck;
    expect(cap.take(slow, now).ok).toBe(false);
  });
});
