import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../src/core/access.js';
import { t } from '../../src/core/i18n/index.js';
import { identities, inboundMessages, members, outbox } from '../../src/db/schema/index.js';
import { directMessage, exchange, newGroup, person, rowCount } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const ANNA = '31611111111@c.us';
const BRAM = '31622222222@c.us';

describe('the inbound pipeline', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  const membersOf = (communityId: string) =>
    h.database.db.select().from(members).where(eq(members.communityId, communityId));

  describe('first contact', () => {
    it('makes a new sender a member, named as the platform shows them, known by their WhatsApp id', async () => {
      const { community, group } = await seedCommunity(h, {}, newGroup());
      const result = await h.core.receive(
        groupMessage(group, ANNA, 'Goedemorgen allemaal!', { sender: { externalId: ANNA, displayName: 'Anna de Vries' } }),
      );

      expect(result).toMatchObject({ status: 'processed', communityId: community.id });
      const all = await membersOf(community.id);
      expect(all).toHaveLength(1);
      const member = await h.core.members.get(ADMIN, all[0]!.id);
      expect(member).toMatchObject({ id: result.memberId, displayName: 'Anna de Vries', role: 'member', language: null });
      expect(member.identities).toMatchObject([{ channel: 'whatsapp', externalId: ANNA }]);
    });

    it.each([
      ['nl', 'Lid'],
      ['en', 'Member'],
    ] as const)('names a sender the platform gives no name in the community language (%s: %s)', async (language, name) => {
      const { community, group } = await seedCommunity(h, { language }, newGroup());
      await h.core.receive(groupMessage(group, ANNA, 'hoi', { sender: { externalId: ANNA, displayName: '   ' } }));
      expect((await membersOf(community.id)).map((m) => m.displayName)).toEqual([name]);
    });

    it('knows the member again on their next message instead of creating another', async () => {
      const { community, group } = await seedCommunity(h, {}, newGroup());
      const first = await h.core.receive(groupMessage(group, ANNA, 'hoi'));
      const second = await h.core.receive(groupMessage(group, ANNA, 'nog een bericht'));
      expect(second.memberId).toBe(first.memberId);
      expect(await membersOf(community.id)).toHaveLength(1);
    });

    it('keeps when a member was first and last seen, to the minute', async () => {
      const { community, group } = await seedCommunity(h, {}, newGroup());
      const firstSeen = h.clock.now();
      await h.core.receive(groupMessage(group, ANNA, 'goedemorgen'));
      h.clock.advance(30_000);
      await h.core.receive(groupMessage(group, ANNA, 'nog iets'));
      expect((await membersOf(community.id))[0]).toMatchObject({ firstSeenAt: firstSeen, lastSeenAt: firstSeen });
      h.clock.advance(3 * 60_000);
      await h.core.receive(groupMessage(group, ANNA, 'later op de dag'));
      expect((await membersOf(community.id))[0]).toMatchObject({ firstSeenAt: firstSeen, lastSeenAt: h.clock.now() });
    });
  });

  describe('a message delivered twice', () => {
    it('has exactly one effect: one reply, one inbound record, one member', async () => {
      const { community, group, address } = await seedCommunity(h, { language: 'en' }, newGroup());
      const message = groupMessage(group, ANNA, '/help');

      expect((await h.core.receive(message)).status).toBe('processed');
      expect((await h.core.receive(message)).status).toBe('duplicate');
      await h.flush();

      expect(h.whatsapp.textsTo(address)).toHaveLength(1);
      expect(h.whatsapp.textsTo(address)[0]).toContain(t('en', 'help.title', { community: 'Wijkzorg Utrecht' }));
      const recorded = await h.database.db
        .select()
        .from(inboundMessages)
        .where(eq(inboundMessages.externalId, message.externalMessageId));
      expect(recorded).toHaveLength(1);
      expect(await membersOf(community.id)).toHaveLength(1);
    });

    it('has one effect even when both deliveries arrive at the same time', async () => {
      const { community, group, address } = await seedCommunity(h, { language: 'en' }, newGroup());
      const message = groupMessage(group, BRAM, '/help');
      const results = await Promise.all([h.core.receive(message), h.core.receive(message)]);
      await h.flush();

      expect(results.map((r) => r.status).sort()).toEqual(['duplicate', 'processed']);
      expect(h.whatsapp.textsTo(address)).toHaveLength(1);
      expect(await membersOf(community.id)).toHaveLength(1);
    });
  });

  it('ignores a group no community has linked, and keeps nothing of it', async () => {
    await seedCommunity(h, {}, newGroup());
    const tables = [members, identities, inboundMessages, outbox];
    const before = await Promise.all(tables.map((table) => rowCount(h, table)));

    const result = await h.core.receive(groupMessage('120363999999999999@g.us', ANNA, '/help'));
    await h.flush();

    expect(result).toEqual({ status: 'ignored', reason: 'unlinked-space' });
    expect(await Promise.all(tables.map((table) => rowCount(h, table)))).toEqual(before);
    expect(h.whatsapp.textsTo('whatsapp:120363999999999999@g.us')).toEqual([]);
  });

  describe('in a group', () => {
    it('does not answer ordinary conversation', async () => {
      const { group } = await seedCommunity(h, {}, newGroup());
      const say = person(h, group, ANNA);
      expect(await say('Wie komt er donderdag naar de intervisie?')).toEqual([]);
      expect(await say('help')).toEqual([]);
      // The same words as a command do get an answer, so silence above is a choice.
      expect(await say('/help')).toHaveLength(1);
    });

    it('treats a message that @mentions the bot as a command, without a slash', async () => {
      const { group } = await seedCommunity(h, { rules: 'Wees vriendelijk.' }, newGroup());
      const replies = await person(h, group, ANNA)('regels', { mentioned: true });
      expect(replies).toEqual([
        [
          t('nl', 'rules.show', { community: 'Wijkzorg Utrecht', version: 1, text: 'Wees vriendelijk.' }),
          t('nl', 'rules.askAccept'),
        ].join('\n'),
      ]);
    });
  });

  it('answers a Teams channel through Teams, in the thread the message came from', async () => {
    const { community } = await seedCommunity(h, { language: 'en' }, newGroup());
    const channelId = '19:wijkzorg-general@thread.tacv2';
    const linked = await h.api({
      method: 'POST',
      url: `/v1/communities/${community.id}/spaces`,
      payload: { channel: 'teams', externalId: channelId, name: 'Wijkzorg › General' },
    });
    expect(linked.statusCode).toBe(201);
    const thread = `teams:${channelId};messageid=1712345678901`;
    const whatsappSends = h.whatsapp.sent.length;

    const replies = await exchange(h, {
      channel: 'teams',
      externalMessageId: 'teams-activity-1',
      space: { externalId: channelId, direct: false },
      sender: { externalId: '8c1f0d2e-aad-object-id', displayName: 'Sanne Jansen' },
      text: 'help',
      mentioned: true,
      replyAddress: thread,
    });

    expect(replies).toHaveLength(1);
    expect(replies[0]).toContain(t('en', 'help.title', { community: 'Wijkzorg Utrecht' }));
    expect(h.whatsapp.sent).toHaveLength(whatsappSends);
    expect((await membersOf(community.id)).map((m) => m.displayName)).toEqual(['Sanne Jansen']);
  });

  describe('in a direct chat', () => {
    it('answers a known member in the community they were last active in', async () => {
      const zorg = await seedCommunity(h, { name: 'Wijkzorg Utrecht', language: 'en' }, newGroup());
      const school = await seedCommunity(h, { name: 'Onderwijs Amersfoort', language: 'en' }, newGroup());
      const sender = '31633333333@c.us';
      const inCommunity = (community: string) => t('en', 'help.title', { community });

      await h.core.receive(groupMessage(zorg.group, sender, 'hoi'));
      h.clock.advance(60_000);
      await h.core.receive(groupMessage(school.group, sender, 'hallo'));
      h.clock.advance(60_000);
      const first = await exchange(h, directMessage(sender, 'help'));
      expect(first).toHaveLength(1);
      expect(first[0]).toContain(inCommunity('Onderwijs Amersfoort'));

      h.clock.advance(60_000);
      await h.core.receive(groupMessage(zorg.group, sender, 'weer terug'));
      h.clock.advance(60_000);
      const second = await exchange(h, directMessage(sender, '/help'));
      expect(second).toHaveLength(1);
      expect(second[0]).toContain(inCommunity('Wijkzorg Utrecht'));
      // Group hints make no sense in a direct chat.
      expect(second[0]).not.toContain(t('en', 'help.footer'));
    });

    it('tells a stranger how to join, in Dutch unless the platform or the command word says otherwise', async () => {
      const stranger = '31699999999@c.us';
      const before = await rowCount(h, members);

      const result = await h.core.receive(directMessage(stranger, 'hallo?'));
      await h.flush();
      expect(result).toEqual({ status: 'ignored', reason: 'unknown-member' });
      expect(h.whatsapp.textsTo(`whatsapp:${stranger}`)).toEqual([t('nl', 'direct.stranger')]);

      expect(await exchange(h, directMessage('31699999998@c.us', 'hello?', { locale: 'en' }))).toEqual([t('en', 'direct.stranger')]);
      expect(await exchange(h, directMessage('31699999997@c.us', '/rules'))).toEqual([t('en', 'direct.stranger')]);
      expect(await exchange(h, directMessage('31699999996@c.us', 'help'))).toEqual([t('nl', 'direct.stranger')]);
      expect(await rowCount(h, members)).toBe(before);
    });

    it('tells a stranger who keeps writing only once a day', async () => {
      const stranger = '31699999990@c.us';
      expect(await exchange(h, directMessage(stranger, 'hallo?'))).toHaveLength(1);
      expect(await exchange(h, directMessage(stranger, 'hallo??'))).toEqual([]);
      h.clock.advance(23 * 60 * 60_000);
      expect(await exchange(h, directMessage(stranger, 'hallo???'))).toEqual([]);
      h.clock.advance(60 * 60_000 + 1);
      expect(await exchange(h, directMessage(stranger, 'nog steeds niemand?'))).toEqual([t('nl', 'direct.stranger')]);
    });
  });
});
