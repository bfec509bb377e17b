import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelPort } from '../../src/core/channel.js';
import { outbox } from '../../src/db/schema/index.js';
import { outboxTo, queueTexts, recordAttempts, tick } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const SLOW = 'whatsapp:120363000000000091@g.us';
const OTHER = 'whatsapp:120363000000000092@g.us';
const THIRD = 'whatsapp:120363000000000093@g.us';

/**
 * The running dispatcher claims the next batch while a batch's sends are still on their way
 * (no send timeout involved: the default 30 s is far away in these tests).
 */
describe(`the dispatcher's pipeline (${engine()})`, () => {
  let h: Harness;
  afterEach(async () => {
    await h.core.dispatcher.stop();
    await h.close();
  });

  describe('with room for a few batches', () => {
    beforeEach(async () => {
      h = await createHarness({ dispatcher: { pollMs: 20, batchSize: 2 } });
    });

    it('sends to other conversations while a send to one is slow, and holds that one’s later messages back', async () => {
      const recorder = recordAttempts(h);
      recorder.holdNext();
      await queueTexts(h, SLOW, ['eerste']);
      h.core.dispatcher.start();
      await vi.waitFor(() => expect(recorder.attempts).toHaveLength(1));

      // Written while the first send hangs: the other conversation's goes out now, the slow
      // conversation's second message waits for its first.
      await queueTexts(h, SLOW, ['tweede']);
      await queueTexts(h, OTHER, ['elders']);
      h.core.dispatcher.wake();
      await vi.waitFor(() => expect(h.whatsapp.textsTo(OTHER)).toEqual(['elders']));
      await tick(100); // several poll rounds
      expect(recorder.attempts.map((m) => m.text)).toEqual(['eerste', 'elders']);
      expect((await outboxTo(h, SLOW)).map((r) => r.status)).toEqual(['sending', 'pending']);

      recorder.release();
      await vi.waitFor(() => expect(h.whatsapp.textsTo(SLOW)).toEqual(['eerste', 'tweede']));
      await vi.waitFor(async () => expect((await outboxTo(h, SLOW)).map((r) => r.status)).toEqual(['delivered', 'delivered']));
    });

    it('keeps each conversation’s order while messages keep coming and sends take varying time', async () => {
      const addresses = [SLOW, OTHER, THIRD];
      let seed = 7;
      const delay = () => (seed = (seed * 48271) % 2147483647) % 5;
      const port: ChannelPort = {
        channel: 'whatsapp',
        capabilities: h.whatsapp.port.capabilities,
        async send(message) {
          await tick(delay());
          return h.whatsapp.port.send(message);
        },
      };
      h.core.registerChannel(port);
      h.core.dispatcher.start();
      const expected = new Map<string, string[]>(addresses.map((a) => [a, []]));
      for (let i = 0; i < 30; i++) {
        const address = addresses[i % 3]!;
        const texts = [`${i}a`, `${i}b`];
        expected.get(address)!.push(...texts);
        await queueTexts(h, address, texts);
        h.core.dispatcher.wake();
        if (i % 4 === 0) await tick(delay());
      }
      await vi.waitFor(() => expect(h.whatsapp.sent).toHaveLength(60), { timeout: 10_000 });
      for (const address of addresses) expect(h.whatsapp.textsTo(address)).toEqual(expected.get(address));
      await vi.waitFor(async () => {
        const rows = await h.database.db.select({ status: outbox.status }).from(outbox);
        expect(rows.filter((r) => r.status !== 'delivered')).toEqual([]);
      });
    });
  });

  describe('with room for one batch', () => {
    beforeEach(async () => {
      h = await createHarness({ dispatcher: { pollMs: 20, batchSize: 2, maxInFlight: 2 } });
    });

    it('claims no more rows than maxInFlight while sends hang, and stop() waits for them', async () => {
      const recorder = recordAttempts(h);
      for (let i = 0; i < 3; i++) recorder.holdNext();
      await queueTexts(h, SLOW, ['een']);
      await queueTexts(h, OTHER, ['twee']);
      await queueTexts(h, THIRD, ['drie']);
      h.core.dispatcher.start();
      await vi.waitFor(() => expect(recorder.attempts).toHaveLength(2));
      await tick(100);
      expect(recorder.attempts).toHaveLength(2);
      const [third] = await outboxTo(h, THIRD);
      expect(third).toMatchObject({ status: 'pending', attempts: 0 });

      // Room again: the third is claimed and sent (and held, like the first two were).
      recorder.release();
      await vi.waitFor(() => expect(recorder.attempts).toHaveLength(3));

      let stopped = false;
      const stopping = h.core.dispatcher.stop().then(() => (stopped = true));
      await tick(50);
      expect(stopped).toBe(false);
      recorder.release();
      await stopping;
      const [row] = await h.database.db.select().from(outbox).where(eq(outbox.address, THIRD));
      expect(row).toMatchObject({ status: 'delivered' });
    });
  });
});
