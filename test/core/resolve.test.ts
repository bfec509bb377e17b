import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { findMembers, findSendersInSpaces, findSpaces } from '../../src/core/inbound/resolve.js';
import { communities, identities, members, spaces } from '../../src/db/schema/index.js';
import { newGroup } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

/**
 * The look-ups every inbound batch starts with. The commands downstream read what they return,
 * so it must be what drizzle's own select gives: Dates, numbers, parsed JSON, nulls.
 */
describe('finding the spaces and members of a batch', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  it('returns the rows drizzle reads, for each space and sender asked for, and nothing for the unknown', async () => {
    const db = h.database.db;
    const [g1, g2, unlinked] = [newGroup(), newGroup(), newGroup()];
    const one = await seedCommunity(h, { language: 'en', themes: ['zorg', 'wonen'] }, g1);
    const two = await seedCommunity(h, {}, g2);
    const [anna, bob] = ['31620000001@c.us', '31620000002@c.us'];
    await h.core.receive(groupMessage(g1, anna, '/profile language nl'));
    await h.core.receive(groupMessage(g2, anna, 'hallo'));
    await h.core.receive(groupMessage(g2, bob, 'hallo'));

    const asked = [groupMessage(g1, anna, 'x'), groupMessage(g2, bob, 'x'), groupMessage(g1, bob, 'x'), groupMessage(unlinked, anna, 'x'), groupMessage(g1, anna, 'y')];
    const spaceOf = await findSpaces(db, asked);
    const expectedSpace = async (group: string) => {
      const [row] = await db.select({ space: spaces, community: communities }).from(spaces).innerJoin(communities, eq(communities.id, spaces.communityId)).where(eq(spaces.externalId, group));
      return row;
    };
    expect(spaceOf(asked[0]!)).toStrictEqual(await expectedSpace(g1));
    expect(spaceOf(asked[1]!)).toStrictEqual(await expectedSpace(g2));
    expect(spaceOf(asked[0]!)!.community.themes).toEqual(['zorg', 'wonen']);
    expect(spaceOf(asked[0]!)!.space.createdAt).toBeInstanceOf(Date);
    expect(spaceOf(asked[3]!)).toBeUndefined();

    const memberOf = await findMembers(db, [
      { communityId: one.community.id, message: asked[0]! },
      { communityId: two.community.id, message: asked[1]! },
      { communityId: one.community.id, message: asked[2]! },
      { communityId: two.community.id, message: asked[0]! },
      { communityId: one.community.id, message: asked[4]! },
    ]);
    const expectedMember = async (communityId: string, sender: string) => {
      const [row] = await db
        .select({ member: members })
        .from(identities)
        .innerJoin(members, eq(members.id, identities.memberId))
        .where(and(eq(identities.communityId, communityId), eq(identities.externalId, sender)));
      return row!.member;
    };
    const annaInOne = memberOf(one.community.id, asked[0]!);
    expect(annaInOne).toStrictEqual(await expectedMember(one.community.id, anna));
    expect(annaInOne).toMatchObject({ language: 'nl', rulesAcceptedVersion: null, lastSeenAt: h.clock.now() });
    expect(memberOf(two.community.id, asked[1]!)).toStrictEqual(await expectedMember(two.community.id, bob));
    expect(memberOf(two.community.id, asked[0]!)).toStrictEqual(await expectedMember(two.community.id, anna));
    expect(memberOf(two.community.id, asked[0]!)!.id).not.toBe(annaInOne!.id);
    // Bob never wrote in community one.
    expect(memberOf(one.community.id, asked[2]!)).toBeUndefined();

    // The same members by way of each message's space, without its community known first.
    const senderOf = await findSendersInSpaces(db, asked);
    expect(senderOf(asked[0]!)).toStrictEqual(annaInOne);
    expect(senderOf(asked[1]!)).toStrictEqual(await expectedMember(two.community.id, bob));
    expect(senderOf(asked[2]!)).toBeUndefined();
    expect(senderOf(asked[3]!)).toBeUndefined();
    expect(senderOf(asked[4]!)).toStrictEqual(annaInOne);
    // Anna in community two is another member than Anna in community one.
    const annaInTwo = groupMessage(g2, anna, 'z');
    expect((await findSendersInSpaces(db, [annaInTwo]))(annaInTwo)).toStrictEqual(await expectedMember(two.community.id, anna));
  });
});
