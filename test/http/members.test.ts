import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, groupMessage, type Harness } from '../helpers/harness.js';
import { expectProblem, memberWhoWrites, seed } from './support.js';

interface Member {
  id: string;
  communityId: string;
  displayName: string;
  organisationId: string | null;
  role: string;
  language: string | null;
  identities?: { channel: string; externalId: string; createdAt: string }[];
}
interface MemberPage {
  items: Member[];
  total: number;
}

let h: Harness;
let community: { id: string };
let group: string;
let foreignOrganisation: string;
beforeAll(async () => {
  h = await createHarness();
  ({ community, group } = await seed(h, { language: 'en' }));
  const other = await seed(h);
  const org = await h.api({ method: 'POST', url: `/v1/communities/${other.community.id}/organisations`, payload: { name: 'Elders' } });
  foreignOrganisation = (org.json() as { id: string }).id;
});
afterAll(() => h.close());

const list = async (query = '', communityId = community.id) => {
  const res = await h.api({ method: 'GET', url: `/v1/communities/${communityId}/members${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as MemberPage;
};
const change = (id: string, payload: Record<string, unknown>) => h.api({ method: 'PATCH', url: `/v1/members/${id}`, payload });

describe('members appear when they write', () => {
  it('lists someone who wrote in a linked group, by the name WhatsApp gave', async () => {
    const { community: fresh, group: freshGroup } = await seed(h);
    expect((await list('', fresh.id)).total).toBe(0);
    await h.core.receive(groupMessage(freshGroup, '31699999999@c.us', 'Hallo!', { sender: { externalId: '31699999999@c.us', displayName: 'Fatima' } }));
    const page = await list('', fresh.id);
    expect(page.total).toBe(1);
    expect(page.items[0]).toMatchObject({ displayName: 'Fatima', role: 'member', organisationId: null, communityId: fresh.id });
  });

  it('counts someone who writes twice once', async () => {
    const { community: fresh, group: freshGroup } = await seed(h);
    await memberWhoWrites(h, freshGroup, '31688888888@c.us');
    await memberWhoWrites(h, freshGroup, '31688888888@c.us', 'Nog een bericht');
    expect((await list('', fresh.id)).total).toBe(1);
  });

  it('does not list someone who wrote in a group that is not linked', async () => {
    const { community: fresh } = await seed(h);
    const result = await h.core.receive(groupMessage('120363777777777777@g.us', '31677777777@c.us', 'Hallo?'));
    expect(result).toMatchObject({ status: 'ignored', reason: 'unlinked-space' });
    expect((await list('', fresh.id)).total).toBe(0);
  });
});

describe('one member', () => {
  it('shows how the member is known on each channel', async () => {
    const id = await memberWhoWrites(h, group, '31611112222@c.us');
    const res = await h.api({ method: 'GET', url: `/v1/members/${id}` });
    expect(res.statusCode).toBe(200);
    const member = res.json() as Member;
    expect(member).toMatchObject({ id, communityId: community.id, displayName: '31611112222' });
    expect(member.identities).toEqual([{ channel: 'whatsapp', externalId: '31611112222@c.us', createdAt: expect.any(String) }]);
  });

  it('gives 404 for a member who does not exist', async () => {
    expectProblem(await h.api({ method: 'GET', url: '/v1/members/00000000-0000-4000-8000-000000000000' }), 404, 'not-found');
    expectProblem(await change('00000000-0000-4000-8000-000000000000', { role: 'ambassador' }), 404, 'not-found');
  });
});

describe('member roles and organisations', () => {
  it('makes a member an ambassador of an organisation', async () => {
    const id = await memberWhoWrites(h, group, '31622223333@c.us');
    const org = (await h.api({ method: 'POST', url: `/v1/communities/${community.id}/organisations`, payload: { name: 'Buurtteam Oost' } })).json() as { id: string };
    const res = await change(id, { role: 'ambassador', organisationId: org.id });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, role: 'ambassador', organisationId: org.id });
    expect(((await h.api({ method: 'GET', url: `/v1/members/${id}` })).json() as Member).identities).toHaveLength(1);

    const byOrg = await list(`?organisationId=${org.id}`);
    expect(byOrg.items.map((m) => m.id)).toEqual([id]);
  });

  it('shows the new role to the member in chat', async () => {
    const sender = '31633334444@c.us';
    const id = await memberWhoWrites(h, group, sender);
    await change(id, { role: 'ambassador' });
    await h.core.receive(groupMessage(group, sender, '/profile'));
    await h.flush();
    const replies = h.whatsapp.textsTo(`whatsapp:${group}`);
    expect(replies.at(-1)).toMatch(/Role: ambassador/i);
  });

  it('refuses an organisation of another community with 400', async () => {
    const id = await memberWhoWrites(h, group, '31644445555@c.us');
    const problem = expectProblem(await change(id, { organisationId: foreignOrganisation, role: 'ambassador' }), 400, 'invalid');
    expect(problem.detail).toMatch(/organisation/i);
    expect((await h.api({ method: 'GET', url: `/v1/members/${id}` })).json()).toMatchObject({ organisationId: null, role: 'member' });
  });

  it('takes a member out of their organisation with null', async () => {
    const id = await memberWhoWrites(h, group, '31655556666@c.us');
    const org = (await h.api({ method: 'POST', url: `/v1/communities/${community.id}/organisations`, payload: { name: 'Tijdelijk' } })).json() as { id: string };
    await change(id, { organisationId: org.id });
    const res = await change(id, { organisationId: null });
    expect(res.json()).toMatchObject({ organisationId: null });
  });

  it('renames a member and sets their language', async () => {
    const id = await memberWhoWrites(h, group, '31666667777@c.us');
    const res = await change(id, { displayName: '  Dirk de Boer ', language: 'nl' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ displayName: 'Dirk de Boer', language: 'nl' });
  });
});

describe('listing members', () => {
  it('gives 404 for the members of a community that does not exist, not an empty list', async () => {
    expectProblem(await h.api({ method: 'GET', url: '/v1/communities/00000000-0000-4000-8000-000000000000/members' }), 404, 'not-found');
  });

  it('filters by role', async () => {
    const { community: fresh, group: freshGroup } = await seed(h);
    const a = await memberWhoWrites(h, freshGroup, '31600000011@c.us');
    const b = await memberWhoWrites(h, freshGroup, '31600000012@c.us');
    await memberWhoWrites(h, freshGroup, '31600000013@c.us');
    await change(a, { role: 'ambassador' });
    await change(b, { role: 'ambassador' });

    const ambassadors = await list('?role=ambassador', fresh.id);
    expect(ambassadors.items.map((m) => m.id).sort()).toEqual([a, b].sort());
    expect(ambassadors.total).toBe(2);
    expect((await list('?role=member', fresh.id)).total).toBe(1);
    expect((await list('?role=manager', fresh.id)).total).toBe(0);
  });

  it('lists by name and pages', async () => {
    const { community: fresh, group: freshGroup } = await seed(h);
    for (const name of ['Yara', 'Bas', 'Mila']) {
      await h.core.receive(groupMessage(freshGroup, `${name}@c.us`, 'hoi', { sender: { externalId: `${name}@c.us`, displayName: name } }));
    }
    expect((await list('', fresh.id)).items.map((m) => m.displayName)).toEqual(['Bas', 'Mila', 'Yara']);
    const page = await list('?limit=1&offset=2', fresh.id);
    expect(page).toMatchObject({ total: 3, limit: 1, offset: 2 });
    expect(page.items.map((m) => m.displayName)).toEqual(['Yara']);
  });
});
