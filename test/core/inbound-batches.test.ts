import { and, count, eq } from 'drizzle-orm';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Command } from '../../src/core/commands/registry.js';
import { createCommandTable } from '../../src/core/commands/registry.js';
import { helpCommand } from '../../src/core/commands/basic.commands.js';
import { createInboundService } from '../../src/core/inbound/inbound.service.js';
import { t } from '../../src/core/i18n/index.js';
import { identities, inboundMessages, members, outbox, spaceMembers, spaces } from '../../src/db/schema/index.js';
import { directMessage, newGroup } from '../helpers/conversation.js';
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

describe('a batch mixing communities, unlinked groups and direct chats', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ inbound: { lanes: 1, maxBatch: 64 } });
  });
  afterAll(() => h.close());

  it('records and answers each message as if it had come alone', async () => {
    const db = h.database.db;
    const [g1, g1b, g2, unlinked] = [newGroup(), newGroup(), newGroup(), newGroup()];
    const one = await seedCommunity(h, { language: 'en' }, g1);
    const second = await h.api({ method: 'POST', url: `/v1/communities/${one.community.id}/spaces`, payload: { channel: 'whatsapp', externalId: g1b, name: 'Tweede groep' } });
    expect(second.statusCode).toBe(201);
    const two = await seedCommunity(h, { language: 'nl' }, g2);
    const [anna, bob, carol, stranger] = ['31610000001@c.us', '31610000002@c.us', '31610000003@c.us', '31610000004@c.us'];
    const earlier = groupMessage(g1, anna, 'hallo');
    await h.core.receive(earlier);
    const annaBefore = await db.select().from(members).where(eq(members.communityId, one.community.id));
    h.clock.advance(2 * 60_000);

    const batch = [
      groupMessage(g2, bob, 'first, alone'),
      groupMessage(g1b, anna, '/help'),
      groupMessage(g2, carol, 'hallo'),
      groupMessage(unlinked, carol, '/help'),
      directMessage(anna, '/help'),
      directMessage(stranger, 'hallo'),
      { ...earlier },
      groupMessage(g2, bob, '/help'),
      groupMessage(g2, carol, 'nog eens'),
    ];
    // One lane: the first runs alone, the others queue behind it and share one transaction.
    const results = await Promise.all(batch.map((m) => h.core.receive(m)));
    expect(results.map((r) => [r.status, r.status === 'ignored' ? r.reason : r.command ?? null])).toEqual([
      ['processed', null],
      ['processed', 'help'],
      ['processed', null],
      ['ignored', 'unlinked-space'],
      ['processed', 'help'],
      ['ignored', 'unknown-member'],
      ['duplicate', null],
      ['processed', 'help'],
      ['processed', null],
    ]);

    const spaceIds = new Map((await db.select().from(spaces)).map((s) => [s.externalId, s.id]));
    const memberIds = new Map(
      (await db.select({ id: members.id, communityId: members.communityId, externalId: identities.externalId }).from(members).innerJoin(identities, eq(identities.memberId, members.id))).map(
        (m) => [`${m.communityId}:${m.externalId}`, m.id],
      ),
    );
    const c1 = one.community.id;
    const c2 = two.community.id;
    const expected = [
      [c2, g2, bob, null],
      [c1, g1b, anna, 'help'],
      [c2, g2, carol, null],
      'not recorded',
      [c1, null, anna, 'help'],
      // In a direct chat every message is read as a command; "hallo" is not one.
      [null, null, null, 'unknown'],
      'recorded before',
      [c2, g2, bob, 'help'],
      [c2, g2, carol, null],
    ] as const;
    for (const [i, message] of batch.entries()) {
      const want = expected[i]!;
      const [row] = await db.select().from(inboundMessages).where(eq(inboundMessages.externalId, message.externalMessageId));
      if (want === 'recorded before') continue;
      if (want === 'not recorded') {
        expect(row, `message ${i}`).toBeUndefined();
        continue;
      }
      const [communityId, group, sender, command] = want;
      expect(row, `message ${i}`).toMatchObject({
        channel: 'whatsapp',
        communityId,
        spaceId: group ? spaceIds.get(group) : null,
        memberId: sender ? memberIds.get(`${communityId}:${sender}`) : null,
        command,
        receivedAt: h.clock.now(),
      });
    }
    await h.flush();
    const texts = (conversation: string) => h.whatsapp.textsTo(`whatsapp:${conversation}`);
    expect(texts(g1b)).toEqual([expect.stringContaining(t('en', 'help.title', { community: 'Wijkzorg Utrecht' }))]);
    expect(texts(g2)).toEqual([expect.stringContaining(t('nl', 'help.title', { community: 'Wijkzorg Utrecht' }))]);
    expect(texts(unlinked)).toEqual([]);
    expect(texts(anna)).toEqual([expect.stringContaining(t('en', 'help.title', { community: 'Wijkzorg Utrecht' }))]);
    expect(texts(stranger)).toEqual([t('nl', 'direct.stranger')]);
    // Carol is one member in community two, wherever she wrote from; nobody in the unlinked group.
    const [c2Members] = await db.select({ n: count() }).from(members).where(eq(members.communityId, c2));
    expect(c2Members!.n).toBe(2);
    // Anna, back after two minutes: seen now, and now known to be in the second group too.
    const [annaAfter] = await db.select().from(members).where(eq(members.communityId, c1));
    expect(annaBefore[0]!.lastSeenAt).toEqual(new Date(h.clock.now().getTime() - 2 * 60_000));
    expect(annaAfter!.lastSeenAt).toEqual(h.clock.now());
    const presence = await db.select().from(spaceMembers).where(eq(spaceMembers.memberId, annaAfter!.id));
    expect(presence.map((p) => [p.spaceId, p.joinedAt.getTime()]).sort()).toEqual(
      [
        [spaceIds.get(g1)!, annaBefore[0]!.firstSeenAt.getTime()],
        [spaceIds.get(g1b)!, h.clock.now().getTime()],
      ].sort(),
    );
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
