import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChannelEvent } from '../../src/core/channel.js';
import { t } from '../../src/core/i18n/index.js';
import { members, spaceMembers } from '../../src/db/schema/index.js';
import { newGroup } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

let n = 0;
const joined = (group: string, people: { externalId: string; displayName?: string }[]): ChannelEvent => ({
  kind: 'members-joined',
  channel: 'whatsapp',
  externalEventId: `join-${++n}`,
  space: { externalId: group },
  members: people,
});

describe('joins, leaves and the bot being added', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  const inSpace = async (communityId: string) =>
    h.database.db
      .select({ name: members.displayName, leftAt: spaceMembers.leftAt })
      .from(spaceMembers)
      .innerJoin(members, eq(members.id, spaceMembers.memberId))
      .where(eq(members.communityId, communityId));

  it('welcomes people who join with the house rules, in the community language, once per event', async () => {
    const { community, group, address } = await seedCommunity(h, { language: 'nl', rules: 'Wees aardig.\nDeel geen patiëntgegevens.' }, newGroup());
    const event = joined(group, [
      { externalId: '31633333333@c.us', displayName: 'Sanne' },
      { externalId: '99887766@lid', displayName: 'Joost' },
    ]);
    expect(await h.core.receiveEvent(event)).toEqual({ status: 'processed' });
    expect(await h.core.receiveEvent(event)).toEqual({ status: 'duplicate' });
    await h.flush();

    expect(h.whatsapp.textsTo(address)).toEqual([
      `${t('nl', 'welcome.joined', { community: 'Wijkzorg Utrecht', names: 'Sanne en Joost' })}\n\n` +
        t('nl', 'welcome.rules', { version: 1, text: 'Wees aardig.\nDeel geen patiëntgegevens.' }),
    ]);
    expect(await inSpace(community.id)).toEqual(
      expect.arrayContaining([
        { name: 'Sanne', leftAt: null },
        { name: 'Joost', leftAt: null },
      ]),
    );
  });

  it('knows someone who joined when they first write, instead of making a second member', async () => {
    const { community, group } = await seedCommunity(h, {}, newGroup());
    await h.core.receiveEvent(joined(group, [{ externalId: '31644444444@c.us', displayName: 'Fenna' }]));
    const first = await h.core.receive(groupMessage(group, '31644444444@c.us', 'hallo'));
    const all = await h.database.db.select().from(members).where(eq(members.communityId, community.id));
    expect(all.map((m) => m.id)).toEqual([first.memberId]);
  });

  it('a large group joining at once is welcomed with ten names and a count', async () => {
    const { group, address } = await seedCommunity(h, { language: 'en' }, newGroup());
    const people = Array.from({ length: 13 }, (_, i) => ({ externalId: `3160000${String(i).padStart(4, '0')}@c.us`, displayName: `P${i}` }));
    await h.core.receiveEvent(joined(group, people));
    await h.flush();
    const [text] = h.whatsapp.textsTo(address);
    expect(text).toContain(t('en', 'welcome.joined', { community: 'Wijkzorg Utrecht', names: 'P0, P1, P2, P3, P4, P5, P6, P7, P8, P9 and 3 others' }));
    expect(text).toContain(t('en', 'welcome.help'));
  });

  it('records who left a group, and a rejoin puts them back', async () => {
    const { community, group } = await seedCommunity(h, {}, newGroup());
    const who = { externalId: '31655555555@c.us', displayName: 'Gert' };
    await h.core.receiveEvent(joined(group, [who]));
    h.clock.advance(60_000);
    const left: ChannelEvent = { kind: 'members-left', channel: 'whatsapp', externalEventId: `leave-${++n}`, space: { externalId: group }, members: [{ externalId: who.externalId }] };
    expect(await h.core.receiveEvent(left)).toEqual({ status: 'processed' });
    expect(await inSpace(community.id)).toEqual([{ name: 'Gert', leftAt: h.clock.now() }]);

    h.clock.advance(60_000);
    await h.core.receiveEvent(joined(group, [who]));
    expect(await inSpace(community.id)).toEqual([{ name: 'Gert', leftAt: null }]);
  });

  it('ignores joins in a group no community has', async () => {
    const group = newGroup();
    expect(await h.core.receiveEvent(joined(group, [{ externalId: '31666666666@c.us' }]))).toEqual({ status: 'ignored', reason: 'unlinked-space' });
    await h.flush();
    expect(h.whatsapp.textsTo(`whatsapp:${group}`)).toEqual([]);
  });

  it('greets when the bot is added: how to link an unlinked group, the community in a linked one', async () => {
    const unlinked = newGroup();
    const added = (group: string, locale?: 'en' | 'nl'): ChannelEvent => ({ kind: 'bot-added', channel: 'whatsapp', externalEventId: `added-${++n}`, space: { externalId: group, direct: false }, ...(locale && { locale }) });
    await h.core.receiveEvent(added(unlinked, 'en'));
    const { group, address } = await seedCommunity(h, { language: 'nl', name: 'Leren in de Zorg' }, newGroup());
    await h.core.receiveEvent(added(group, 'en'));
    await h.flush();
    expect(h.whatsapp.textsTo(`whatsapp:${unlinked}`)).toEqual([t('en', 'bot.added.unlinked')]);
    expect(h.whatsapp.textsTo(address)).toEqual([t('nl', 'bot.added.linked', { community: 'Leren in de Zorg' })]);
  });

  it('remembers a member present in a group from their first message there', async () => {
    const { community, group } = await seedCommunity(h, {}, newGroup());
    await h.core.receive(groupMessage(group, '31677777777@c.us', 'hoi', { sender: { externalId: '31677777777@c.us', displayName: 'Ilse' } }));
    const rows = await h.database.db
      .select({ name: members.displayName })
      .from(spaceMembers)
      .innerJoin(members, and(eq(members.id, spaceMembers.memberId), eq(members.communityId, community.id)));
    expect(rows).toEqual([{ name: 'Ilse' }]);
  });
});
