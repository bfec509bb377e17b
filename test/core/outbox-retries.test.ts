import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { DispatcherOptions } from '../../src/core/outbox/dispatcher.js';
import { outbox } from '../../src/db/schema/index.js';
import { outboxTo, queueTexts, recordAttempts } from '../helpers/conversation.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const GROUP = 'whatsapp:120363000000000042@g.us';
const MINUTE = 60_000;

describe('sending with retries', () => {
  let h: Harness;
  // One harness for the tests that use the default settings; each starts from an empty outbox.
  let shared: Harness;
  beforeAll(async () => {
    // Sends here hang on purpose and are resolved by moving the fake clock; the real-time
    // send timeout (see dispatcher-hang.test.ts) must not step in first.
    shared = await createHarness({ dispatcher: { sendTimeoutMs: 60 * MINUTE } });
  });
  afterAll(() => shared.close());
  afterEach(async () => {
    if (h !== shared) await h.close();
  });

  async function start(dispatcher?: DispatcherOptions) {
    if (dispatcher) h = await createHarness({ dispatcher });
    else {
      h = shared;
      await h.database.db.delete(outbox);
      h.whatsapp.sent.length = 0;
      h.core.registerChannel(h.whatsapp.port);
    }
    await queueTexts(h, GROUP, ['Vergeet de intervisie van donderdag niet!']);
  }
  const row = async () => (await outboxTo(h, GROUP))[0]!;
  const waitFor = async () => (await row()).availableAt.getTime() - h.clock.now().getTime();

  it('tries a retryable failure again after a back-off, and not before', async () => {
    await start();
    h.whatsapp.failNext(1, true, 'socket hang up');
    await h.flush();

    expect(h.whatsapp.textsTo(GROUP)).toEqual([]);
    expect(await row()).toMatchObject({ status: 'pending', attempts: 1, lastError: 'socket hang up', leaseUntil: null });
    const delay = await waitFor();
    // The first back-off is 2 s, half of it jitter.
    expect(delay).toBeGreaterThanOrEqual(1_000);
    expect(delay).toBeLessThanOrEqual(2_000);

    h.clock.advance(delay - 1);
    expect(await h.flush()).toBe(0);
    expect(h.whatsapp.textsTo(GROUP)).toEqual([]);

    h.clock.advance(1);
    await h.flush();
    expect(h.whatsapp.textsTo(GROUP)).toEqual(['Vergeet de intervisie van donderdag niet!']);
    expect(await row()).toMatchObject({ status: 'delivered', attempts: 2, lastError: null, deliveredAt: h.clock.now() });
  });

  it('waits twice as long after each further failure', async () => {
    await start({ baseBackoffMs: 1_000, random: () => 1 });
    h.whatsapp.failNext(4, true, 'rate limited');
    const delays: number[] = [];
    for (let i = 0; i < 4; i++) {
      await h.flush();
      delays.push(await waitFor());
      h.clock.advance(delays.at(-1)!);
    }
    expect(delays).toEqual([1_000, 2_000, 4_000, 8_000]);
    await h.flush();
    expect(h.whatsapp.textsTo(GROUP)).toHaveLength(1);
  });

  it('honours the wait the platform asks for (Retry-After)', async () => {
    await start();
    h.whatsapp.failNext(1, true, '429 Too Many Requests', 30_000);
    await h.flush();
    expect(await waitFor()).toBe(30_000);

    h.clock.advance(29_999);
    await h.flush();
    expect(h.whatsapp.textsTo(GROUP)).toEqual([]);
    h.clock.advance(1);
    await h.flush();
    expect(h.whatsapp.textsTo(GROUP)).toHaveLength(1);
  });

  it('gives up at once on a failure the platform calls permanent, keeping its reason', async () => {
    await start();
    h.whatsapp.failNext(1, false, 'The bot is no longer in this group');
    await h.flush();

    expect(await row()).toMatchObject({ status: 'failed', attempts: 1, lastError: 'The bot is no longer in this group' });
    h.clock.advance(24 * 60 * MINUTE);
    expect(await h.flush()).toBe(0);
    expect(h.whatsapp.textsTo(GROUP)).toEqual([]);
  });

  it('gives up after maxAttempts retryable failures', async () => {
    await start({ maxAttempts: 3 });
    h.whatsapp.failNext(3, true, 'timeout');
    for (let i = 0; i < 3; i++) {
      await h.flush();
      h.clock.advance(60 * MINUTE);
    }
    expect(await row()).toMatchObject({ status: 'failed', attempts: 3, lastError: 'timeout' });

    // The adapter would succeed now; a fourth attempt would show up as a send.
    h.clock.advance(60 * MINUTE);
    await h.flush();
    expect(h.whatsapp.textsTo(GROUP)).toEqual([]);
  });

  describe('a send that never returns (the process hung or died mid-send)', () => {
    it('is taken up again once its lease runs out, and delivered exactly once', async () => {
      await start();
      const { attempts } = recordAttempts(h);
      h.whatsapp.hangNext();
      void h.core.dispatcher.runOnce();
      await vi.waitFor(() => expect(attempts).toHaveLength(1));
      expect(await row()).toMatchObject({ status: 'sending', attempts: 1 });

      // Still leased (for a minute, by default): nobody else may send it.
      h.clock.advance(MINUTE);
      expect(await h.flush()).toBe(0);
      expect(attempts).toHaveLength(1);

      h.clock.advance(1);
      expect(await h.flush()).toBe(1);
      expect(attempts).toHaveLength(2);
      expect(h.whatsapp.textsTo(GROUP)).toEqual(['Vergeet de intervisie van donderdag niet!']);
      expect(await row()).toMatchObject({ status: 'delivered', attempts: 2 });

      h.clock.advance(60 * MINUTE);
      expect(await h.flush()).toBe(0);
      expect(h.whatsapp.textsTo(GROUP)).toHaveLength(1);
    });

    it('does not overwrite the new outcome, nor send the rest of its batch again, when it returns late', async () => {
      await start();
      await h.database.db.delete(outbox);
      await queueTexts(h, GROUP, ['één', 'twee', 'drie']);
      const gate = recordAttempts(h);
      gate.holdNext();
      const stale = h.core.dispatcher.runOnce();
      await vi.waitFor(() => expect(gate.attempts).toHaveLength(1));

      h.clock.advance(MINUTE + 1);
      await h.flush();
      expect(h.whatsapp.textsTo(GROUP)).toEqual(['één', 'twee', 'drie']);

      // The stalled call finally returns: 'één' did go out twice (we cannot undo that), but
      // the rest of its batch belongs to the newer claim now.
      gate.release();
      await stale;
      expect(h.whatsapp.textsTo(GROUP)).toEqual(['één', 'twee', 'drie', 'één']);
      const rows = await outboxTo(h, GROUP);
      expect(rows.map((r) => [r.status, r.attempts])).toEqual([
        ['delivered', 2],
        ['delivered', 2],
        ['delivered', 2],
      ]);
    });
  });
});
