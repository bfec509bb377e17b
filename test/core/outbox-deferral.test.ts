import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ChannelDeferral, type ChannelPort } from '../../src/core/channel.js';
import { outboxTo, queueTexts } from '../helpers/conversation.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const CHAT = 'whatsapp:120363000000000077@g.us';
const OTHER = 'whatsapp:120363000000000078@g.us';

describe('an adapter deferring a send (its own pacing)', () => {
  let h: Harness;
  let deferNext = 0;
  beforeAll(async () => {
    h = await createHarness({ dispatcher: { maxAttempts: 3 } });
    const port: ChannelPort = {
      ...h.whatsapp.port,
      async send(message) {
        if (deferNext > 0) {
          deferNext--;
          throw new ChannelDeferral('paced: next slot for this chat in 5000 ms', 5_000);
        }
        return h.whatsapp.port.send(message);
      },
    };
    h.core.registerChannel(port);
  });
  afterAll(() => h.close());

  it('waits the time asked, uses up no attempt, keeps the order, and holds back the rest of the chat', async () => {
    await queueTexts(h, CHAT, ['eerste', 'tweede']);
    await queueTexts(h, OTHER, ['elders']);
    deferNext = 1;
    await h.flush();

    const [first, second] = await outboxTo(h, CHAT);
    expect(first).toMatchObject({ status: 'pending', attempts: 0, lastError: 'paced: next slot for this chat in 5000 ms' });
    expect(first!.availableAt.getTime() - h.clock.now().getTime()).toBe(5_000);
    expect(second).toMatchObject({ status: 'pending', attempts: 0 });
    // Another chat is not held up.
    expect(h.whatsapp.textsTo(OTHER)).toEqual(['elders']);

    h.clock.advance(4_999);
    await h.flush();
    expect(h.whatsapp.textsTo(CHAT)).toEqual([]);
    h.clock.advance(1);
    await h.flush();
    expect(h.whatsapp.textsTo(CHAT)).toEqual(['eerste', 'tweede']);
  });

  it('deferring more often than the attempts allowed never fails a message', async () => {
    await queueTexts(h, CHAT, ['geduld']);
    deferNext = 10;
    for (let i = 0; i < 10; i++) {
      await h.flush();
      h.clock.advance(5_000);
    }
    await h.flush();
    expect(h.whatsapp.textsTo(CHAT).at(-1)).toBe('geduld');
    expect((await outboxTo(h, CHAT)).at(-1)).toMatchObject({ status: 'delivered', attempts: 1, lastError: null });
  });
});
