import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectProblem, memberWhoWrites, seed } from './support.js';

interface Organisation {
  id: string;
  communityId: string;
  name: string;
  representativeId: string | null;
}

let h: Harness;
let community: { id: string };
let group: string;
let elsewhere: { id: string; member: string };
beforeAll(async () => {
  h = await createHarness();
  ({ community, group } = await seed(h));
  const other = await seed(h);
  elsewhere = { id: other.community.id, member: await memberWhoWrites(h, other.group, '31655555555@c.us') };
});
afterAll(() => h.close());

const add = (payload: Record<string, unknown>, communityId = community.id) =>
  h.api({ method: 'POST', url: `/v1/communities/${communityId}/organisations`, payload });
const change = (id: string, payload: Record<string, unknown>) =>
  h.api({ method: 'PATCH', url: `/v1/organisations/${id}`, payload });

describe('adding organisations', () => {
  it('adds an organisation taking part, trimmed, and finds it again', async () => {
    const res = await add({ name: '  Gemeente Utrecht ' });
    expect(res.statusCode).toBe(201);
    const created = res.json() as Organisation;
    expect(created).toMatchObject({ communityId: community.id, name: 'Gemeente Utrecht', representativeId: null });
    const fetched = await h.api({ method: 'GET', url: `/v1/organisations/${created.id}` });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toMatchObject({ id: created.id, name: 'Gemeente Utrecht' });
  });

  it('gives 409 for a name that already takes part', async () => {
    expect((await add({ name: 'Zorgspectrum' })).statusCode).toBe(201);
    const problem = expectProblem(await add({ name: 'Zorgspectrum' }), 409, 'conflict');
    expect(problem.detail).toContain('Zorgspectrum');
  });

  it('allows the same name in another community', async () => {
    expect((await add({ name: 'Hogeschool Utrecht' })).statusCode).toBe(201);
    expect((await add({ name: 'Hogeschool Utrecht' }, elsewhere.id)).statusCode).toBe(201);
  });

  it('records a member of the community as its steering-group representative', async () => {
    const anna = await memberWhoWrites(h, group, '31600000001@c.us');
    const res = await add({ name: 'Buurtzorg', representativeId: anna });
    expect(res.statusCode).toBe(201);
    expect(res.json()).toMatchObject({ representativeId: anna });
  });

  it('refuses a representative from another community with 400', async () => {
    const problem = expectProblem(await add({ name: 'Indringer', representativeId: elsewhere.member }), 400, 'invalid');
    expect(problem.detail).toMatch(/representative/i);
    const list = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/organisations?limit=200` })).json() as {
      items: Organisation[];
    };
    expect(list.items.map((o) => o.name)).not.toContain('Indringer');
  });

  it('refuses a representative who does not exist with 400', async () => {
    expectProblem(await add({ name: 'Spook', representativeId: '00000000-0000-4000-8000-000000000000' }), 400, 'invalid');
  });

  it('gives 404 for adding to a community that does not exist', async () => {
    expectProblem(await add({ name: 'Nergens' }, '00000000-0000-4000-8000-000000000000'), 404, 'not-found');
  });
});

describe('listing organisations', () => {
  it('gives 404 for the organisations of a community that does not exist, not an empty list', async () => {
    expectProblem(await h.api({ method: 'GET', url: '/v1/communities/00000000-0000-4000-8000-000000000000/organisations' }), 404, 'not-found');
  });

  it('lists only the community’s own organisations, by name, with paging', async () => {
    const { community: fresh } = await seed(h);
    for (const name of ['Zuyd', 'Avans', 'Fontys']) await add({ name }, fresh.id);
    await add({ name: 'Windesheim' }, elsewhere.id);

    const res = await h.api({ method: 'GET', url: `/v1/communities/${fresh.id}/organisations` });
    expect(res.statusCode).toBe(200);
    const page = res.json() as { items: Organisation[]; total: number };
    expect(page.items.map((o) => o.name)).toEqual(['Avans', 'Fontys', 'Zuyd']);
    expect(page.total).toBe(3);

    const second = (await h.api({ method: 'GET', url: `/v1/communities/${fresh.id}/organisations?limit=1&offset=1` })).json();
    expect(second).toMatchObject({ total: 3, limit: 1, offset: 1, items: [{ name: 'Fontys' }] });
  });
});

describe('changing an organisation', () => {
  it('renames it', async () => {
    const { id } = (await add({ name: 'GGD regio Utrecht' })).json() as Organisation;
    const res = await change(id, { name: 'GGD Utrecht' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id, name: 'GGD Utrecht' });
    expect((await h.api({ method: 'GET', url: `/v1/organisations/${id}` })).json()).toMatchObject({ name: 'GGD Utrecht' });
  });

  it('sets and clears the representative', async () => {
    const { id } = (await add({ name: 'Vitras' })).json() as Organisation;
    const bram = await memberWhoWrites(h, group, '31600000002@c.us');
    expect((await change(id, { representativeId: bram })).json()).toMatchObject({ representativeId: bram, name: 'Vitras' });
    expect((await change(id, { representativeId: null })).json()).toMatchObject({ representativeId: null, name: 'Vitras' });
  });

  it('refuses a representative from another community with 400 and keeps the old one', async () => {
    const carla = await memberWhoWrites(h, group, '31600000003@c.us');
    const { id } = (await add({ name: 'Careyn', representativeId: carla })).json() as Organisation;
    expectProblem(await change(id, { representativeId: elsewhere.member }), 400, 'invalid');
    expect((await h.api({ method: 'GET', url: `/v1/organisations/${id}` })).json()).toMatchObject({ representativeId: carla });
  });

  it('gives 409 for renaming to a name that already takes part', async () => {
    await add({ name: 'Altrecht' });
    const { id } = (await add({ name: 'Lister' })).json() as Organisation;
    expectProblem(await change(id, { name: 'Altrecht' }), 409, 'conflict');
  });

  it('gives 404 for an organisation that does not exist', async () => {
    expectProblem(await change('00000000-0000-4000-8000-000000000000', { name: 'X' }), 404, 'not-found');
    expectProblem(await h.api({ method: 'GET', url: '/v1/organisations/00000000-0000-4000-8000-000000000000' }), 404, 'not-found');
  });
});
