import { asc, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ChannelName, ChannelPort, OutboundMessage } from '../../src/core/channel.js';
import { createCore, type Core } from '../../src/core/index.js';
import { createDispatcher } from '../../src/core/outbox/dispatcher.js';
import { enqueueHandingOff } from '../../src/core/outbox/handoff.js';
import type { OutboxMessage } from '../../src/core/outbox/outbox.service.js';
import { outbox } from '../../src/db/schema/index.js';
import { newGroup, outboxTo, queueTexts, recordAttempts, tick } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const logger = pino({ level: 'silent' });
const LEASE_MS = 60_000;

/**
 * Replies to inbound messages are written already claimed by the running dispatcher and handed
 * to it when their transaction commits: no claim statement, no wait for the next claim.
 */
describe(`replies handed to the dispatcher without a claim (${engine()})`, () => {
  let h: Harness;
  const cores: Core[] = [];
  afterEach(async () => {
    for (const core of cores.splice(0)) await core.dispatcher.stop();
    await h.core.dispatcher.stop();
    await h.close();
  });

  /** A harness whose dispatcher polls rarely: whatever goes out soon went out without a claim. */
  async function running(options: { pollMs?: number } = {}) {
    h = await createHarness({ dispatcher: { pollMs: options.pollMs ?? 60_000 } });
    h.core.dispatcher.start();
    // The first look for due rows, made at start.
    await vi.waitFor(() => expect(h.core.dispatcher.stats().claims).toBeGreaterThan(0));
  }

  const statuses = async (address: string) => (await outboxTo(h, address)).map((r) => `${r.status}/${r.attempts}`);

  it('sends the replies to an inbound message without any claim, in the order they were written', async () => {
    await running();
    const { group, address } = await seedCommunity(h, { purpose: 'Zorg in de wijk' }, newGroup());
    // A newcomer's first command: the welcome, then the answer, written in one statement.
    await h.core.receive(groupMessage(group, '31611111111@c.us', '/help'));
    const rows = await outboxTo(h, address);
    expect(rows.length).toBeGreaterThanOrEqual(2);
    await vi.waitFor(() => expect(h.whatsapp.textsTo(address)).toEqual(rows.map((r) => r.payload.text)));
    await vi.waitFor(async () => expect(await statuses(address)).toEqual(rows.map(() => 'delivered/1')));
    expect(h.core.dispatcher.stats()).toEqual({ claims: 1, handedOff: rows.length });
  });

  it('leaves replies to be claimed while the dispatcher is not running', async () => {
    h = await createHarness();
    const { group, address } = await seedCommunity(h, {}, newGroup());
    await h.core.receive(groupMessage(group, '31611111111@c.us', '/help'));
    expect(await statuses(address)).toEqual(['pending/0']);
    await h.flush();
    expect(h.whatsapp.textsTo(address)).toHaveLength(1);
    expect(h.core.dispatcher.stats().handedOff).toBe(0);
  });

  it('puts a reply behind a message to its conversation that is being sent, and sends it after that one', async () => {
    await running({ pollMs: 20 });
    const { group, address } = await seedCommunity(h, {}, newGroup());
    const recorder = recordAttempts(h);
    recorder.holdNext();
    await queueTexts(h, address, ['aankondiging']);
    h.core.dispatcher.wake();
    await vi.waitFor(() => expect(recorder.attempts).toHaveLength(1));

    await h.core.receive(groupMessage(group, '31611111111@c.us', '/help'));
    expect(await statuses(address)).toEqual(['sending/1', 'pending/0']);
    await tick(100); // several poll rounds: the reply waits for the announcement
    expect(recorder.attempts).toHaveLength(1);

    recorder.release();
    await vi.waitFor(() => expect(h.whatsapp.textsTo(address)).toHaveLength(2));
    expect(h.whatsapp.textsTo(address)[0]).toBe('aankondiging');
    await vi.waitFor(async () => expect(await statuses(address)).toEqual(['delivered/1', 'delivered/1']));
    expect(h.core.dispatcher.stats().handedOff).toBe(0);
  });

  it('puts a reply behind a message to its conversation that waits for a retry', async () => {
    await running({ pollMs: 20 });
    const { group, address } = await seedCommunity(h, {}, newGroup());
    h.whatsapp.failNext(1, true, '429 Too Many Requests', 10_000);
    await queueTexts(h, address, ['aankondiging']);
    h.core.dispatcher.wake();
    await vi.waitFor(async () => expect((await outboxTo(h, address))[0]).toMatchObject({ status: 'pending', attempts: 1 }));

    await h.core.receive(groupMessage(group, '31611111111@c.us', '/help'));
    expect(await statuses(address)).toEqual(['pending/1', 'pending/0']);
    await tick(100);
    expect(h.whatsapp.textsTo(address)).toEqual([]);

    h.clock.advance(10_000);
    await vi.waitFor(() => expect(h.whatsapp.textsTo(address)).toHaveLength(2), { timeout: 5_000 });
    expect(h.whatsapp.textsTo(address)[0]).toBe('aankondiging');
    expect(h.core.dispatcher.stats().handedOff).toBe(0);
  });

  it('gives a handed-off row back to the claim when this dispatcher is sending to its conversation already', async () => {
    // A transaction that committed alongside the one whose row is on its way could not see it.
    await running({ pollMs: 20 });
    const address = `whatsapp:${newGroup()}`;
    const recorder = recordAttempts(h);
    recorder.holdNext();
    await queueTexts(h, address, ['eerste']);
    h.core.dispatcher.wake();
    await vi.waitFor(() => expect(recorder.attempts).toHaveLength(1));

    const [row] = await h.database.db
      .insert(outbox)
      .values({ channel: 'whatsapp', address, payload: { text: 'tweede' }, idempotencyKey: `test:${address}`, status: 'sending', attempts: 1, availableAt: h.clock.now(), leaseUntil: new Date(h.clock.now().getTime() + LEASE_MS) })
      .returning();
    h.core.dispatcher.handOff([row!]);
    await vi.waitFor(async () => expect(await statuses(address)).toEqual(['sending/1', 'pending/0']));
    await tick(100);
    expect(recorder.attempts).toHaveLength(1);

    recorder.release();
    await vi.waitFor(() => expect(h.whatsapp.textsTo(address)).toEqual(['eerste', 'tweede']));
    await vi.waitFor(async () => expect(await statuses(address)).toEqual(['delivered/1', 'delivered/1']));
  });

  it('sends a reply once, by a claim after its lease, when the server died between the commit and the send', async () => {
    await running();
    const { group, address } = await seedCommunity(h, {}, newGroup());
    // The rows are written claimed, but the process dies before they reach its dispatcher.
    h.core.dispatcher.handOff = () => {};
    await h.core.receive(groupMessage(group, '31611111111@c.us', '/help'));
    await h.core.dispatcher.stop();
    expect(await statuses(address)).toEqual(['sending/1']);

    // Another server instance: nothing to take while the lease holds, the reply once it ran out.
    const sent: OutboundMessage[] = [];
    const port: ChannelPort = { ...h.whatsapp.port, send: async (message) => (sent.push(message), { externalId: `x-${sent.length}` }) };
    const other = createDispatcher(h.database.db, new Map<ChannelName, ChannelPort>([['whatsapp', port]]), h.clock.now, logger, { leaseMs: LEASE_MS });
    expect(await other.runOnce()).toBe(0);
    h.clock.advance(LEASE_MS + 1);
    expect(await other.runOnce()).toBe(1);
    expect(await other.runOnce()).toBe(0);
    expect(sent.map((m) => m.address)).toEqual([address]);
    expect(await statuses(address)).toEqual(['delivered/2']);
  });

  it('sends every reply once with two servers on one database, both dispatchers running', async () => {
    h = await createHarness({ dispatcher: { pollMs: 20 } });
    const sent: OutboundMessage[] = [];
    const counting = (): ChannelPort => ({
      ...h.whatsapp.port,
      async send(message) {
        await tick(Math.random() * 3);
        sent.push(message);
        return { externalId: `x-${sent.length}` };
      },
    });
    const second = createCore({ db: h.database.db, logger, clock: h.clock.now, dispatcher: { pollMs: 20 } });
    cores.push(second);
    h.core.registerChannel(counting());
    second.registerChannel(counting());
    h.core.dispatcher.start();
    second.dispatcher.start();

    const groups: { group: string }[] = [];
    for (let i = 0; i < 3; i++) groups.push(await seedCommunity(h, {}, newGroup()));
    // Both servers take messages to the same groups at once; some of a group's replies find an
    // earlier one still on its way and wait for a claim.
    await Promise.all(
      Array.from({ length: 60 }, (_, i) => {
        const { group } = groups[i % 3]!;
        return (i % 2 ? second : h.core).receive(groupMessage(group, `3161111${String(i % 7).padStart(4, '0')}@c.us`, '/help'));
      }),
    );
    const rows = await h.database.db.select().from(outbox).orderBy(asc(outbox.seq));
    await vi.waitFor(() => expect(sent).toHaveLength(rows.length), { timeout: 10_000 });
    await tick(100);
    expect(new Set(sent.map((m) => m.id)).size).toBe(sent.length);
    expect(sent).toHaveLength(rows.length);
    await vi.waitFor(async () => {
      const left = await h.database.db.select().from(outbox).where(eq(outbox.status, 'sending'));
      expect(left).toEqual([]);
    });
    const handedOff = h.core.dispatcher.stats().handedOff + second.dispatcher.stats().handedOff;
    expect(handedOff).toBeGreaterThan(0);
  });
});

describe(`the outbox insert of an inbound batch (${engine()})`, () => {
  let h: Harness;
  afterEach(() => h.close());

  const message = (key: string, address: string, extra: Partial<OutboxMessage> = {}): OutboxMessage => ({
    communityId: null,
    channel: 'whatsapp',
    address,
    spaceId: null,
    memberId: null,
    payload: { text: `"${key}" \\ {a,b} ü 😀`, actions: [{ label: 'Ja', command: 'ja' }] },
    idempotencyKey: key,
    availableAt: h.clock.now(),
    ...extra,
  });

  it('writes rows claimed only when their channel is taken, they are due and nothing is ahead of them', async () => {
    h = await createHarness();
    const target = { accepts: (channel: ChannelName) => channel === 'whatsapp', leaseMs: LEASE_MS, handOff: () => {} };
    const [a, b, c] = ['whatsapp:a', 'whatsapp:b', 'whatsapp:c'];
    const now = h.clock.now();
    const write = (messages: OutboxMessage[]) => h.database.db.transaction((tx) => enqueueHandingOff(tx, messages, now, target));

    // Two to one conversation in one statement: both claimed, in write order.
    const first = await write([message('1', a!), message('2', a!), message('3', b!, { channel: 'teams' }), message('4', c!, { availableAt: new Date(now.getTime() + 1) })]);
    expect(first.handedOff.map((r) => [r.idempotencyKey, r.attempts, r.leaseUntil])).toEqual([
      ['1', 1, new Date(now.getTime() + LEASE_MS)],
      ['2', 1, new Date(now.getTime() + LEASE_MS)],
    ]);
    expect(first.handedOff[0]!.seq).toBeLessThan(first.handedOff[1]!.seq);
    expect(first.pending).toBe(true);

    // A repeated key writes nothing; a conversation with a row sending or a row scheduled later.
    const second = await write([message('1', b!), message('5', a!), message('6', c!), message('7', 'whatsapp:d')]);
    expect(second.handedOff.map((r) => r.idempotencyKey)).toEqual(['6', '7']);

    const rows = await h.database.db.select().from(outbox).orderBy(asc(outbox.seq));
    expect(rows.map((r) => [r.idempotencyKey, r.address, r.status, r.attempts])).toEqual([
      ['1', a, 'sending', 1],
      ['2', a, 'sending', 1],
      ['3', b, 'pending', 0],
      ['4', c, 'pending', 0],
      ['5', a, 'pending', 0],
      ['6', c, 'sending', 1],
      ['7', 'whatsapp:d', 'sending', 1],
    ]);
    // What a row carries arrives whole, whatever is in it.
    expect(rows[0]!.payload).toEqual(message('1', a!).payload);
    expect(second.handedOff[0]!.payload).toEqual(rows[5]!.payload);
    expect(second.handedOff[0]!.id).toBe(rows[5]!.id);
  });
});
