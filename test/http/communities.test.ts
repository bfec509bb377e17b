import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, groupMessage, type Harness } from '../helpers/harness.js';
import { expectProblem, newGroup } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

interface Community {
  id: string;
  name: string;
  slug: string;
  purpose: string;
  themes: string[];
  language: string;
  timezone: string;
  phase: string;
  rules: { version: number; text: string; adoptedAt: string } | null;
}

let slugs = 0;
async function create(fields: Record<string, unknown> = {}): Promise<Community> {
  const res = await h.api({
    method: 'POST',
    url: '/v1/communities',
    payload: { name: 'Kennisnetwerk Zorg', slug: `zorg-${++slugs}`, ...fields },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Community;
}

const patch = (id: string, payload: Record<string, unknown>) =>
  h.api({ method: 'PATCH', url: `/v1/communities/${id}`, payload });

describe('creating a community', () => {
  it('stores what was sent and fills in the defaults', async () => {
    const created = await create({ purpose: 'Hoe houden we wijkverpleging werkbaar?', themes: ['personeel', 'digitalisering'] });
    expect(created).toMatchObject({
      name: 'Kennisnetwerk Zorg',
      purpose: 'Hoe houden we wijkverpleging werkbaar?',
      themes: ['personeel', 'digitalisering'],
      language: 'nl',
      timezone: 'Europe/Amsterdam',
      phase: 'initiative',
      rules: null,
    });
    const fetched = await h.api({ method: 'GET', url: `/v1/communities/${created.id}` });
    expect(fetched.statusCode).toBe(200);
    expect(fetched.json()).toEqual(created);
  });

  it('stamps a change with the server’s clock (the one tests move), for communities and organisations alike', async () => {
    const created = await create({});
    h.clock.advance(60 * 60_000);
    const changed = await patch(created.id, { purpose: 'Samen leren' });
    expect(changed.json().updatedAt).toBe(h.clock.now().toISOString());
    const org = (await h.api({ method: 'POST', url: `/v1/communities/${created.id}/organisations`, payload: { name: 'Gemeente Utrecht' } })).json() as { id: string };
    h.clock.advance(60 * 60_000);
    const renamed = await h.api({ method: 'PATCH', url: `/v1/organisations/${org.id}`, payload: { name: 'Gemeente Utrecht (wijkteams)' } });
    expect(renamed.json().updatedAt).toBe(h.clock.now().toISOString());
  });

  it('adopts house rules given at creation as version 1', async () => {
    const created = await create({ rules: 'Wees aardig. Deel wat werkt.' });
    expect(created.rules).toMatchObject({ version: 1, text: 'Wees aardig. Deel wat werkt.' });
    expect(new Date(created.rules!.adoptedAt).toString()).not.toBe('Invalid Date');
  });

  it('trims the name of a community, as it does the names of organisations and spaces', async () => {
    const created = await create({ name: '  Zorg in de wijk ' });
    expect(created.name).toBe('Zorg in de wijk');
    const renamed = await h.api({ method: 'PATCH', url: `/v1/communities/${created.id}`, payload: { name: ' Zorg samen  ' } });
    expect((renamed.json() as Community).name).toBe('Zorg samen');
  });

  it('gives 404 for a community that does not exist', async () => {
    expectProblem(await h.api({ method: 'GET', url: '/v1/communities/00000000-0000-4000-8000-000000000000' }), 404, 'not-found');
  });
});

describe('house rules', () => {
  it('makes new text the next version and keeps the old one', async () => {
    const { id } = await create({ rules: 'Versie een.' });
    const res = await patch(id, { rules: 'Versie twee: ook respect voor privacy.' });
    expect(res.statusCode).toBe(200);
    expect((res.json() as Community).rules).toMatchObject({ version: 2, text: 'Versie twee: ook respect voor privacy.' });

    const history = await h.api({ method: 'GET', url: `/v1/communities/${id}/rules` });
    expect(history.statusCode).toBe(200);
    expect((history.json() as { items: { version: number; text: string }[] }).items.map((r) => [r.version, r.text])).toEqual([
      [2, 'Versie twee: ook respect voor privacy.'],
      [1, 'Versie een.'],
    ]);
  });

  it('does not bump the version when the same text is sent again', async () => {
    const { id } = await create({ rules: 'Eén versie.' });
    const res = await patch(id, { rules: '  Eén versie.  ', phase: 'core-group' });
    expect(res.statusCode).toBe(200);
    expect((res.json() as Community).rules?.version).toBe(1);
    const history = (await h.api({ method: 'GET', url: `/v1/communities/${id}/rules` })).json() as { items: unknown[]; total: number };
    expect(history.items).toHaveLength(1);
    expect(history.total).toBe(1);
  });

  it('starts at version 1 when a community without rules gets them', async () => {
    const { id } = await create();
    expect((await h.api({ method: 'GET', url: `/v1/communities/${id}/rules` })).json()).toMatchObject({ items: [], total: 0 });
    const res = await patch(id, { rules: 'Eindelijk regels.' });
    expect((res.json() as Community).rules?.version).toBe(1);
  });

  it('refuses to empty the house rules', async () => {
    const { id } = await create({ rules: 'Blijven staan.' });
    expectProblem(await patch(id, { rules: '   ' }), 400, 'invalid');
    const current = (await h.api({ method: 'GET', url: `/v1/communities/${id}` })).json() as Community;
    expect(current.rules).toMatchObject({ version: 1, text: 'Blijven staan.' });
  });

  it('shows members in chat the version the manager adopted', async () => {
    const group = newGroup();
    const { id } = await create({ language: 'en', rules: 'Old rules.' });
    await h.api({ method: 'POST', url: `/v1/communities/${id}/spaces`, payload: { channel: 'whatsapp', externalId: group, name: 'Groep' } });
    await patch(id, { rules: 'New rules: be kind.' });
    await h.core.receive(groupMessage(group, '31633333333@c.us', '/rules'));
    await h.flush();
    const [reply] = h.whatsapp.textsTo(`whatsapp:${group}`);
    expect(reply).toContain('version 2');
    expect(reply).toContain('New rules: be kind.');
  });

  it('gives 404 for the rules of a community that does not exist', async () => {
    const res = await h.api({ method: 'GET', url: '/v1/communities/00000000-0000-4000-8000-000000000000/rules' });
    expectProblem(res, 404, 'not-found');
  });
});

describe('changing a community', () => {
  it('moves it to another phase of its life cycle', async () => {
    const { id } = await create();
    const res = await patch(id, { phase: 'concept-and-test' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ phase: 'concept-and-test' });
    expect((await h.api({ method: 'GET', url: `/v1/communities/${id}` })).json()).toMatchObject({ phase: 'concept-and-test' });
  });

  it('switches the language the bot answers in', async () => {
    const group = newGroup();
    const { id } = await create({ name: 'Taalwissel' });
    await h.api({ method: 'POST', url: `/v1/communities/${id}/spaces`, payload: { channel: 'whatsapp', externalId: group, name: 'Groep' } });
    const res = await patch(id, { language: 'en' });
    expect(res.json()).toMatchObject({ language: 'en' });
    await h.core.receive(groupMessage(group, '31644444444@c.us', '/rules'));
    await h.flush();
    expect(h.whatsapp.textsTo(`whatsapp:${group}`)).toEqual(['Taalwissel has no house rules yet.']);
  });

  it('changes purpose, themes and timezone, leaving the rest alone', async () => {
    const created = await create({ rules: 'Regels.' });
    const res = await patch(created.id, { purpose: 'Nieuw vraagstuk', themes: ['a'], timezone: 'Europe/London' });
    expect(res.json()).toMatchObject({
      ...created,
      purpose: 'Nieuw vraagstuk',
      themes: ['a'],
      timezone: 'Europe/London',
      updatedAt: expect.any(String),
    });
  });

  it('gives 404 for changing a community that does not exist', async () => {
    expectProblem(await patch('00000000-0000-4000-8000-000000000000', { phase: 'launched' }), 404, 'not-found');
  });
});

describe('listing communities', () => {
  it('pages through them with limit, offset and the total', async () => {
    for (const name of ['Pagina C', 'Pagina A', 'Pagina B']) await create({ name });
    const all = (await h.api({ method: 'GET', url: '/v1/communities?limit=200' })).json() as {
      items: Community[];
      total: number;
    };
    expect(all.total).toBe(all.items.length);
    expect(all.items.map((c) => c.name)).toEqual([...all.items.map((c) => c.name)].sort());

    const page = await h.api({ method: 'GET', url: '/v1/communities?limit=2&offset=1' });
    expect(page.statusCode).toBe(200);
    const body = page.json() as { items: Community[]; total: number; limit: number; offset: number };
    expect(body).toMatchObject({ total: all.total, limit: 2, offset: 1 });
    expect(body.items.map((c) => c.id)).toEqual(all.items.slice(1, 3).map((c) => c.id));
  });

  it('gives an empty page past the end, with the total still right', async () => {
    const res = await h.api({ method: 'GET', url: '/v1/communities?offset=10000' });
    const body = res.json() as { items: unknown[]; total: number };
    expect(body.items).toEqual([]);
    expect(body.total).toBeGreaterThan(0);
  });

  it('uses a page of 50 by default', async () => {
    expect((await h.api({ method: 'GET', url: '/v1/communities' })).json()).toMatchObject({ limit: 50, offset: 0 });
  });
});
