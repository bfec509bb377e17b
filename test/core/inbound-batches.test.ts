import { and, count, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/commands/registry.js';
import { createCommandTable } from '../../src/core/commands/registry.js';
import { helpCommand } from '../../src/core/commands/basic.commands.js';
import { createInboundService } from '../../src/core/inbound/inbound.service.js';
import { t } from '../../src/core/i18n/index.js';
import { inboundMessages, members, outbox } from '../../src/db/schema/index.js';
import { newGroup } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

/**
 * Messages that arrive while a transaction is busy are handled together in the next one.
 * These tests pin down that a shared transaction behaves as if each message ran on its own.
 */
describe('inbound messages handled in one transaction', () => {
  let h: Harness;
  beforeAll(async () => {
    // One lane: the first message runs alone, the ones behind it queue and form one batch.
    h = await createHarness({ inbound: { lanes: 1, maxBatch: 64 } });
  });
  afterAll(() => h.close());

  it('lets a later message in a batch see what an earlier one changed', async () => {
    const { group, address } = await seedCommunity(h, { language: 'nl' }, newGroup());
    const anna = '31611111111@c.us';
    await Promise.all([
      h.core.receive(groupMessage(group, anna, '/hulp')),
      h.core.receive(groupMessage(group, anna, '/profile language en')),
      h.core.receive(groupMessage(group, anna, '/help')),
    ]);
    await h.flush();
    const texts = h.whatsapp.textsTo(address);
    expect(texts).toHaveLength(3);
    // "help" is a word of both languages: only the language just chosen makes this English.
    expect(texts[2]).toContain(t('en', 'help.title', { community: 'Wijkzorg Utrecht' }));
  });

  it('creates one member for a newcomer whose messages share a batch', async () => {
    const { community, group } = await seedCommunity(h, {}, newGroup());
    const newcomer = '31622222222@c.us';
    const results = await Promise.all(
      Array.from({ length: 10 }, (_, i) => h.core.receive(groupMessage(group, newcomer, `hallo ${i}`))),
    );
    expect(results.every((r) => r.status === 'processed')).toBe(true);
    const [row] = await h.database.db.select({ n: count() }).from(members).where(eq(members.communityId, community.id));
    expect(row!.n).toBe(1);
  });

  it('treats the same message twice in one batch as one', async () => {
    const { group, address } = await seedCommunity(h, {}, newGroup());
    const message = groupMessage(group, '31633333333@c.us', '/help');
    const results = await Promise.all([
      h.core.receive(groupMessage(group, '31633333333@c.us', 'first, alone')),
      h.core.receive(message),
      h.core.receive({ ...message }),
    ]);
    expect(results.map((r) => r.status)).toEqual(['processed', 'processed', 'duplicate']);
    await h.flush();
    expect(h.whatsapp.textsTo(address)).toHaveLength(1);
  });
});

describe('a message whose command fails unexpectedly', () => {
  let h: Harness;
  let inbound: ReturnType<typeof createInboundService>;
  beforeAll(async () => {
    h = await createHarness();
    const commands: Command[] = [];
    const boom: Command = {
      name: 'boom',
      words: { en: ['boom'], nl: ['boem'] },
      help: [],
      async run() {
        throw new Error('a bug, not the member’s fault');
      },
    };
    commands.push(helpCommand(() => commands), boom);
    inbound = createInboundService({
      db: h.database.db,
      commands: createCommandTable(commands),
      clock: h.clock.now,
      logger: pino({ level: 'silent' }),
      onQueued: () => {},
      options: { lanes: 1 },
    });
  });
  afterAll(() => h.close());

  it('apologises in the language the member chose', async () => {
    const { group, address } = await seedCommunity(h, { language: 'en' }, newGroup());
    const sender = '31688888888@c.us';
    await h.core.receive(groupMessage(group, sender, '/profile language nl'));
    expect((await inbound.handle(groupMessage(group, sender, '/boom'))).command).toBe('failed');
    await h.flush();
    expect(h.whatsapp.textsTo(address).at(-1)).toBe(t('nl', 'error.generic'));
  });

  it('gets an apology while the others in its batch go through', async () => {
    const { community, group, address } = await seedCommunity(h, { language: 'en' }, newGroup());
    const boomMessage = groupMessage(group, '31666666666@c.us', '/boom');
    const results = await Promise.all([
      inbound.handle(groupMessage(group, '31644444444@c.us', '/help')),
      inbound.handle(groupMessage(group, '31655555555@c.us', '/help')),
      inbound.handle(boomMessage),
      inbound.handle(groupMessage(group, '31677777777@c.us', '/help')),
    ]);
    expect(results.map((r) => r.command)).toEqual(['help', 'help', 'failed', 'help']);
    await h.flush();
    const texts = h.whatsapp.textsTo(address);
    expect(texts.filter((x) => x.startsWith(t('en', 'help.title', { community: 'Wijkzorg Utrecht' })))).toHaveLength(3);
    expect(texts).toContain(t('en', 'error.generic'));
    // Recorded, so a redelivery of the failed message does not fail (and apologise) again.
    const [failed] = await h.database.db.select({ n: count() }).from(inboundMessages).where(and(eq(inboundMessages.command, 'failed'), eq(inboundMessages.communityId, community.id)));
    expect(failed!.n).toBe(1);
    expect((await inbound.handle({ ...boomMessage })).status).toBe('duplicate');
    const [rows] = await h.database.db.select({ n: count() }).from(outbox).where(eq(outbox.address, address));
    expect(rows!.n).toBe(4);
  });
});

describe('a graceful stop', () => {
  it('waits for the messages already received before the database closes', async () => {
    const h = await createHarness({ inbound: { lanes: 1 } });
    const { group } = await seedCommunity(h, {}, newGroup());
    const pending = Array.from({ length: 20 }, (_, i) => h.core.receive(groupMessage(group, `3161000${i}@c.us`, '/help')));
    await h.core.drain();
    // Everything received before the stop is committed by the time drain() returns.
    const [row] = await h.database.db.select({ n: count() }).from(inboundMessages);
    expect(row!.n).toBe(20);
    expect((await Promise.all(pending)).every((r) => r.status === 'processed')).toBe(true);
    await h.close();
  });
});
