import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import type { ChannelName, ChannelPort } from '../../src/core/channel.js';
import { createDispatcher, type Dispatcher } from '../../src/core/outbox/dispatcher.js';
import { outbox } from '../../src/db/schema/index.js';
import { outboxTo, queueTexts, tick } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const GROUPS = ['a', 'b', 'c', 'd', 'e'].map((g) => `whatsapp:12036300000000000${g}@g.us`);
const logger = pino({ level: 'silent' });

describe(`the outbox dispatcher (${engine()})`, () => {
  // One harness, small batches so a handful of rows spans several rounds; each test starts
  // from an empty outbox with the plain test adapter in place.
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ dispatcher: { batchSize: 3 } });
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.database.db.delete(outbox);
    h.whatsapp.sent.length = 0;
    h.teams.sent.length = 0;
    h.core.registerChannel(h.whatsapp.port);
  });

  /** Another dispatcher on the same database, as a second server instance would run. */
  function secondDispatcher(ports: ChannelPort[], batchSize = 3): Dispatcher {
    const channels = new Map<ChannelName, ChannelPort>(ports.map((p) => [p.channel, p]));
    return createDispatcher(h.database.db, channels, h.clock.now, logger, { batchSize });
  }

  /** A port in front of the WhatsApp test adapter that takes a moment per send and counts its sends. */
  function slowPort() {
    let sent = 0;
    const port: ChannelPort = {
      channel: 'whatsapp',
      capabilities: h.whatsapp.port.capabilities,
      async send(message) {
        await tick(1);
        sent++;
        return h.whatsapp.port.send(message);
      },
    };
    return { port, sent: () => sent };
  }

  async function drain(dispatcher: Dispatcher) {
    while ((await dispatcher.runOnce()) > 0);
  }

  it('sends messages to one conversation in the order they were written', async () => {
    const [mine, other] = GROUPS as [string, string];
    const expected: string[] = [];
    for (let round = 1; round <= 3; round++) {
      // Several messages in one transaction, as a command that answers in parts would write them.
      const texts = Array.from({ length: 5 }, (_, i) => `bericht ${round}.${i + 1}`);
      await queueTexts(h, mine, texts);
      await queueTexts(h, other, [`ander ${round}`]);
      expected.push(...texts);
    }
    await h.flush();
    expect(h.whatsapp.textsTo(mine)).toEqual(expected);
    expect(h.whatsapp.textsTo(other)).toEqual(['ander 1', 'ander 2', 'ander 3']);
  });

  it('holds later messages to a conversation back while an earlier one waits for a retry', async () => {
    const [mine, other] = GROUPS as [string, string];
    await queueTexts(h, mine, ['eerste']);
    await queueTexts(h, other, ['elders']);
    await queueTexts(h, mine, ['tweede', 'derde']);
    h.whatsapp.failNext(1, true, '429 Too Many Requests', 10_000);
    await h.flush();

    expect(h.whatsapp.textsTo(mine)).toEqual([]);
    expect(h.whatsapp.textsTo(other)).toEqual(['elders']);
    await queueTexts(h, mine, ['vierde']);
    h.clock.advance(5_000);
    await h.flush();
    expect(h.whatsapp.textsTo(mine)).toEqual([]);

    h.clock.advance(5_000);
    await h.flush();
    expect(h.whatsapp.textsTo(mine)).toEqual(['eerste', 'tweede', 'derde', 'vierde']);
    expect((await outboxTo(h, mine)).map((r) => r.status)).toEqual(Array(4).fill('delivered'));
  });

  it('lets later messages go once an earlier one has failed for good', async () => {
    const [mine] = GROUPS as [string];
    await queueTexts(h, mine, ['eerste', 'tweede']);
    h.whatsapp.failNext(1, false, 'message too long');
    await h.flush();
    expect(h.whatsapp.textsTo(mine)).toEqual(['tweede']);
  });

  it('leaves messages for a channel without an adapter waiting until one is plugged in', async () => {
    const teamsChat = 'teams:19:meeting_abc@thread.v2';
    await queueTexts(h, teamsChat, ['Welkom in het Teams-kanaal']);
    await queueTexts(h, GROUPS[0]!, ['Welkom in de app-groep']);

    // An instance that only runs WhatsApp.
    await drain(secondDispatcher([h.whatsapp.port]));
    expect(h.whatsapp.textsTo(GROUPS[0]!)).toEqual(['Welkom in de app-groep']);
    expect(await outboxTo(h, teamsChat)).toMatchObject([{ status: 'pending', attempts: 0, lastError: null }]);

    // The harness core has the Teams adapter registered.
    await h.flush();
    expect(h.teams.textsTo(teamsChat)).toEqual(['Welkom in het Teams-kanaal']);
  });

  it('never sends a message twice when two dispatchers share one database', async () => {
    const chats = Array.from({ length: 10 }, (_, i) => `whatsapp:1203630000000001${String(i).padStart(2, '0')}@g.us`);
    for (let i = 0; i < 50; i++) await queueTexts(h, chats[i % chats.length]!, [`melding ${i}`]);
    const first = slowPort();
    const second = slowPort();
    h.core.registerChannel(first.port);
    const other = secondDispatcher([second.port]);

    // Each keeps going until everything is out: one may find nothing to claim for a moment
    // while the other holds the conversations that are left.
    const undelivered = async () =>
      (await h.database.db.select().from(outbox)).filter((r) => r.status !== 'delivered').length;
    const work = async (dispatcher: Dispatcher) => {
      for (let idle = 0; idle < 200 && (await undelivered()) > 0; ) {
        if ((await dispatcher.runOnce()) === 0) {
          idle++;
          await tick(1);
        }
      }
    };
    await Promise.all([work(h.core.dispatcher), work(other)]);

    expect(await undelivered()).toBe(0);
    const ids = h.whatsapp.sent.map((m) => m.id);
    expect(ids).toHaveLength(50);
    expect(new Set(ids).size).toBe(50);
    // Both took part, or this test proved nothing.
    expect(first.sent()).toBeGreaterThan(0);
    expect(second.sent()).toBeGreaterThan(0);
    expect(first.sent() + second.sent()).toBe(50);
  });
});
