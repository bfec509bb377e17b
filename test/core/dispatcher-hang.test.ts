import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { queueTexts, recordAttempts, outboxTo } from '../helpers/conversation.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const STUCK = 'whatsapp:120363000000000077@g.us';
const OTHER = 'whatsapp:120363000000000078@g.us';

describe('a channel send that never answers, with the dispatcher running', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ dispatcher: { sendTimeoutMs: 200, pollMs: 20, baseBackoffMs: 1 } });
  });
  afterAll(() => h.close());

  it('does not hold up the messages to other conversations, and is retried', async () => {
    const { attempts } = recordAttempts(h);
    h.whatsapp.hangNext();
    await queueTexts(h, STUCK, ['Wie komt er donderdag?']);
    h.core.dispatcher.start();
    await vi.waitFor(() => expect(attempts).toHaveLength(1));

    // Written after the stuck send began: it must still go out.
    await queueTexts(h, OTHER, ['Nieuwe vraag in de groep']);
    h.core.dispatcher.wake();
    await vi.waitFor(() => expect(h.whatsapp.textsTo(OTHER)).toEqual(['Nieuwe vraag in de groep']), { timeout: 5_000 });

    // The stuck one counts as a failed attempt once it timed out, and goes out on its retry (the
    // clock is fake: move it past the back-off).
    await vi.waitFor(async () => {
      const [row] = await outboxTo(h, STUCK);
      expect(row).toMatchObject({ status: 'pending', attempts: 1, lastError: 'no answer from the channel within 200 ms' });
    });
    h.clock.advance(60_000);
    h.core.dispatcher.wake();
    await vi.waitFor(() => expect(h.whatsapp.textsTo(STUCK)).toEqual(['Wie komt er donderdag?']), { timeout: 5_000 });
    await h.core.dispatcher.stop();
  });
});
