import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, groupMessage, type Harness } from '../helpers/harness.js';
import { expectProblem, newGroup, seed } from './support.js';

interface Space {
  id: string;
  communityId: string;
  channel: string;
  externalId: string;
  name: string;
}

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

const link = (communityId: string, payload: Record<string, unknown>) =>
  h.api({ method: 'POST', url: `/v1/communities/${communityId}/spaces`, payload });
const list = async (communityId: string, query = '') => {
  const res = await h.api({ method: 'GET', url: `/v1/communities/${communityId}/spaces${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Space[]; total: number; limit: number; offset: number };
};

describe('linking spaces', () => {
  it('links a WhatsApp group and a Teams channel to one community', async () => {
    const { community } = await seed(h);
    const teams = await link(community.id, {
      channel: 'teams',
      externalId: '19:a1b2c3@thread.tacv2',
      name: ' Algemeen ',
    });
    expect(teams.statusCode).toBe(201);
    expect(teams.json()).toMatchObject({ communityId: community.id, channel: 'teams', externalId: '19:a1b2c3@thread.tacv2', name: 'Algemeen' });

    const page = await list(community.id);
    expect(page.total).toBe(2);
    expect(page.items.map((s) => s.channel)).toEqual(['whatsapp', 'teams']);
  });

  it('makes members of the Teams channel and the WhatsApp group one community', async () => {
    const { community, group } = await seed(h);
    const teamsId = '19:samen-teams@thread.tacv2';
    await link(community.id, { channel: 'teams', externalId: teamsId, name: 'Kanaal' });
    await h.core.receive(groupMessage(group, '31612121212@c.us', 'Hoi vanuit WhatsApp'));
    await h.core.receive({
      channel: 'teams',
      externalMessageId: 'teams-msg-1',
      space: { externalId: teamsId, direct: false },
      sender: { externalId: '29:aad-object-id', displayName: 'Eva Jansen' },
      text: 'Hoi vanuit Teams',
    });
    const members = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/members` })).json() as { total: number };
    expect(members.total).toBe(2);
  });

  it('gives 404 for linking to a community that does not exist', async () => {
    const res = await link('00000000-0000-4000-8000-000000000000', { channel: 'whatsapp', externalId: newGroup(), name: 'Weg' });
    expectProblem(res, 404, 'not-found');
  });
});

describe('listing spaces', () => {
  it('gives 404 for the spaces of a community that does not exist, not an empty list', async () => {
    expectProblem(await h.api({ method: 'GET', url: '/v1/communities/00000000-0000-4000-8000-000000000000/spaces' }), 404, 'not-found');
  });

  it('filters by channel', async () => {
    const { community } = await seed(h);
    await link(community.id, { channel: 'teams', externalId: '19:filter-1@thread.tacv2', name: 'Teams één' });
    await link(community.id, { channel: 'teams', externalId: '19:filter-2@thread.tacv2', name: 'Teams twee' });

    const teams = await list(community.id, '?channel=teams');
    expect(teams.total).toBe(2);
    expect(teams.items.every((s) => s.channel === 'teams')).toBe(true);
    const whatsapp = await list(community.id, '?channel=whatsapp');
    expect(whatsapp.total).toBe(1);
    expect(whatsapp.items[0]?.channel).toBe('whatsapp');
  });

  it('lists only the community’s own spaces', async () => {
    const first = await seed(h);
    const second = await seed(h);
    const page = await list(first.community.id);
    expect(page.items.map((s) => s.externalId)).toEqual([first.group]);
    expect(page.items.map((s) => s.externalId)).not.toContain(second.group);
  });

  it('pages', async () => {
    const { community } = await seed(h);
    for (const n of [1, 2]) await link(community.id, { channel: 'teams', externalId: `19:page-${n}@thread.tacv2`, name: `Pagina ${n}` });
    const page = await list(community.id, '?limit=1&offset=1');
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 1 });
    expect(page.items.map((s) => s.name)).toEqual(['Pagina 1']);
  });
});

describe('unlinking spaces', () => {
  it('ignores messages from a group once it is unlinked', async () => {
    const { community, group } = await seed(h);
    const before = await h.core.receive(groupMessage(group, '31634343434@c.us', '/help'));
    expect(before.status).toBe('processed');
    const [space] = (await list(community.id)).items;

    const res = await h.api({ method: 'DELETE', url: `/v1/spaces/${space!.id}` });
    expect(res.statusCode).toBe(204);
    expect(res.body).toBe('');
    expect((await list(community.id)).total).toBe(0);

    const after = await h.core.receive(groupMessage(group, '31634343434@c.us', '/help'));
    expect(after).toMatchObject({ status: 'ignored', reason: 'unlinked-space' });
    const fresh = await h.core.receive(groupMessage(group, '31656565656@c.us', 'Ik ben nieuw'));
    expect(fresh).toMatchObject({ status: 'ignored', reason: 'unlinked-space' });
    const members = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/members` })).json() as { total: number };
    expect(members.total).toBe(1);
  });

  it('lets the group be linked again, to another community', async () => {
    const first = await seed(h);
    const second = await seed(h);
    const [space] = (await list(first.community.id)).items;
    await h.api({ method: 'DELETE', url: `/v1/spaces/${space!.id}` });
    expect((await link(second.community.id, { channel: 'whatsapp', externalId: first.group, name: 'Verhuisd' })).statusCode).toBe(201);
    const result = await h.core.receive(groupMessage(first.group, '31678787878@c.us', 'Hallo'));
    expect(result).toMatchObject({ status: 'processed', communityId: second.community.id });
  });

  it('gives 404 for unlinking a space twice', async () => {
    const { community } = await seed(h);
    const [space] = (await list(community.id)).items;
    expect((await h.api({ method: 'DELETE', url: `/v1/spaces/${space!.id}` })).statusCode).toBe(204);
    expectProblem(await h.api({ method: 'DELETE', url: `/v1/spaces/${space!.id}` }), 404, 'not-found');
  });
});

describe('linking a Teams channel before the bot has seen it', () => {
  const CONVERSATION = '19:4a1b2c3d4e5f@thread.tacv2';

  it('keeps the service URL and tenant, so the bot can post there first', async () => {
    const { community } = await seed(h);
    const res = await link(community.id, { channel: 'teams', externalId: CONVERSATION, name: 'Algemeen', serviceUrl: 'https://smba.trafficmanager.net/emea/', tenantId: 'b7f2c1d0-0000-4000-8000-000000000001' });
    expect(res.statusCode, res.body).toBe(201);
    expect(await h.core.references.get(`teams:${CONVERSATION}`)).toEqual({
      serviceUrl: 'https://smba.trafficmanager.net/emea/',
      channelId: 'msteams',
      conversation: { id: CONVERSATION, tenantId: 'b7f2c1d0-0000-4000-8000-000000000001' },
      source: 'rest',
    });
  });

  it('refuses a service URL for a WhatsApp group, and one that is not http(s)', async () => {
    const { community } = await seed(h);
    const whatsapp = await link(community.id, { channel: 'whatsapp', externalId: newGroup(), name: 'App-groep', serviceUrl: 'https://smba.trafficmanager.net/emea/' });
    expect(expectProblem(whatsapp, 400, 'invalid').detail).toContain('Teams');
    const ftp = await link(community.id, { channel: 'teams', externalId: '19:other@thread.tacv2', name: 'X', serviceUrl: 'ftp://example.org/' });
    expectProblem(ftp, 400, 'validation');
  });
});
