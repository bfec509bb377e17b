import { eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { hashToken } from '../../src/core/tokens.service.js';
import { linkCodes, spaces } from '../../src/db/schema/index.js';
import { exchange, newGroup, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';
import { expectProblem } from '../http/support.js';

const MANAGER = '31611111111@c.us';
const MEMBER = '31622222222@c.us';

describe('linking a group from inside it', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  /** A community whose member MANAGER (known from its first group) is made a manager. */
  async function communityWithManager(fields: Record<string, unknown> = {}) {
    const seeded = await seedCommunity(h, fields, newGroup());
    const first = await h.core.receive(groupMessage(seeded.group, MANAGER, 'hallo', { sender: { externalId: MANAGER, displayName: 'Mira' } }));
    const res = await h.api({ method: 'PATCH', url: `/v1/members/${first.memberId}`, payload: { role: 'manager' } });
    expect(res.statusCode, res.body).toBe(200);
    await h.core.receive(groupMessage(seeded.group, MEMBER, 'hoi'));
    return seeded;
  }

  const spaceOf = async (group: string) => (await h.database.db.select().from(spaces).where(eq(spaces.externalId, group)))[0];

  it('ignores an unlinked group, then answers there once a manager sent link <slug>', async () => {
    const { community } = await communityWithManager({ language: 'nl' });
    const group = newGroup();
    expect(await exchange(h, groupMessage(group, MEMBER, '/help'))).toEqual([]);

    const linked = await exchange(h, groupMessage(group, MANAGER, `/koppel ${community.slug}`, { space: { externalId: group, name: 'Buurtteam Oost', direct: false } }));
    expect(linked).toEqual([t('nl', 'link.done', { community: 'Wijkzorg Utrecht' })]);
    expect(await spaceOf(group)).toMatchObject({ communityId: community.id, name: 'Buurtteam Oost', channel: 'whatsapp' });

    const help = await exchange(h, groupMessage(group, MEMBER, '/hulp'));
    expect(help[0]).toContain(t('nl', 'help.title', { community: 'Wijkzorg Utrecht' }));
  });

  it('refuses a member who is not a manager, and says the same for a slug that does not exist', async () => {
    const { community } = await communityWithManager();
    const group = newGroup();
    const refused = await exchange(h, groupMessage(group, MEMBER, `/link ${community.slug}`));
    const unknown = await exchange(h, groupMessage(group, MEMBER, '/link no-such-community'));
    expect(refused).toEqual([t('en', 'link.refused', { slug: community.slug })]);
    expect(unknown).toEqual([t('en', 'link.refused', { slug: 'no-such-community' })]);
    expect(await spaceOf(group)).toBeUndefined();
  });

  it('links with a one-time code from the API, sent by anyone, and the code works once', async () => {
    const { community } = await seedCommunity(h, { language: 'en' }, newGroup());
    const res = await h.api({ method: 'POST', url: `/v1/communities/${community.id}/link-codes` });
    expect(res.statusCode, res.body).toBe(201);
    const { code, expiresAt } = res.json() as { code: string; expiresAt: string };
    expect(code).toMatch(/^[A-Z2-9]{4}-[A-Z2-9]{4}$/);
    expect(new Date(expiresAt).getTime() - h.clock.now().getTime()).toBe(7 * 24 * 60 * 60_000);

    const group = newGroup();
    // Typed on a phone: lower case, without the dash.
    expect(await exchange(h, groupMessage(group, MEMBER, `/link ${code.toLowerCase().replace('-', '')}`))).toEqual([
      t('en', 'link.done', { community: 'Wijkzorg Utrecht' }),
    ]);
    expect(await spaceOf(group)).toMatchObject({ communityId: community.id });
    const [used] = await h.database.db.select().from(linkCodes).where(eq(linkCodes.communityId, community.id));
    expect(used).toMatchObject({ usedAt: h.clock.now() });
    expect(JSON.stringify(used)).not.toContain(code);

    const other = newGroup();
    expect(await exchange(h, groupMessage(other, MEMBER, `/link ${code}`))).toEqual([t('en', 'link.badCode')]);
    expect(await spaceOf(other)).toBeUndefined();
  });

  it('takes a code of letters only, and a slug that looks like a code from its manager', async () => {
    const { community } = await seedCommunity(h, { language: 'en' }, newGroup());
    await h.database.db.insert(linkCodes).values({ communityId: community.id, hash: hashToken('QWERTYUP'), expiresAt: new Date(h.clock.now().getTime() + 60_000) });
    const group = newGroup();
    expect(await exchange(h, groupMessage(group, MEMBER, '/link qwer-tyup'))).toEqual([t('en', 'link.done', { community: 'Wijkzorg Utrecht' })]);

    const codeLike = await communityWithManager({ slug: 'abcd-efgh', language: 'en' });
    const other = newGroup();
    expect(await exchange(h, groupMessage(other, MANAGER, '/link abcd-efgh'))).toEqual([t('en', 'link.done', { community: 'Wijkzorg Utrecht' })]);
    expect(await spaceOf(other)).toMatchObject({ communityId: codeLike.community.id });
  });

  it('refuses an expired code', async () => {
    const { community } = await seedCommunity(h, {}, newGroup());
    const { code } = (await h.api({ method: 'POST', url: `/v1/communities/${community.id}/link-codes` })).json() as { code: string };
    h.clock.advance(7 * 24 * 60 * 60_000 + 1);
    const group = newGroup();
    expect(await exchange(h, groupMessage(group, MEMBER, `/link ${code}`))).toEqual([t('en', 'link.badCode')]);
    expect(await spaceOf(group)).toBeUndefined();
  });

  it('says how to link when no slug or code is given, and that a linked group is linked', async () => {
    const { community, group } = await communityWithManager({ name: 'Zorg Samen' });
    expect(await exchange(h, groupMessage(newGroup(), MANAGER, '/link'))).toEqual([t('en', 'link.usage')]);
    const say = person(h, group, MANAGER);
    expect(await say(`/koppel ${community.slug}`)).toEqual([t('nl', 'link.already', { community: 'Zorg Samen' })]);
  });

  it('will not move a group linked to one community to another', async () => {
    const first = await communityWithManager();
    const second = await communityWithManager();
    expect(await exchange(h, groupMessage(first.group, MANAGER, `/link ${second.community.slug}`))).toEqual([
      t('en', 'link.already', { community: 'Wijkzorg Utrecht' }),
    ]);
    expect(await spaceOf(first.group)).toMatchObject({ communityId: first.community.id });
  });

  it('the link code API: 404 for a community a manager token does not cover', async () => {
    const { community } = await seedCommunity(h, {}, newGroup());
    const other = await seedCommunity(h, {}, newGroup());
    const token = (await h.api({ method: 'POST', url: '/v1/tokens', payload: { name: 'm', communityId: other.community.id } })).json() as { token: string };
    expectProblem(await h.api({ method: 'POST', url: `/v1/communities/${community.id}/link-codes`, token: token.token }), 404, 'not-found');
    expect((await h.api({ method: 'POST', url: `/v1/communities/${other.community.id}/link-codes`, token: token.token })).statusCode).toBe(201);
  });
});
