import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectProblem, expectValidation, memberWhoWrites, newGroup, seed } from './support.js';

let h: Harness;
let community: { id: string; slug: string };
let member: string;
beforeAll(async () => {
  h = await createHarness();
  const seeded = await seed(h);
  community = seeded.community;
  member = await memberWhoWrites(h, seeded.group, '31622222222@c.us');
});
afterAll(() => h.close());

const create = (payload: unknown) => h.api({ method: 'POST', url: '/v1/communities', payload: payload as object });

describe('request body validation', () => {
  it('rejects an unknown property instead of dropping it', async () => {
    const res = await create({ name: 'Zorg', slug: 'zorg-unknown', colour: 'blue' });
    const problem = expectValidation(res, 'body/colour');
    expect(problem.detail).toContain('colour');
  });

  it('names a missing required field', async () => {
    expectValidation(await create({ name: 'Zonder slug' }), 'body/slug');
  });

  it('names every field at fault at once', async () => {
    const problem = expectValidation(await create({ slug: 'Not A Slug' }), 'body/name');
    expect(problem.errors?.map((e) => e.path)).toContain('body/slug');
  });

  it.each(['Hoofdletters', 'met spatie', '-leading', 'trailing-', 'dubbel--streepje', 'a', 'ëxtra'])(
    'rejects the slug %j',
    async (slug) => {
      expectValidation(await create({ name: 'Zorg', slug }), 'body/slug');
    },
  );

  it('rejects a name over 120 characters', async () => {
    expectValidation(await create({ name: 'x'.repeat(121), slug: 'long-name' }), 'body/name');
  });

  it('accepts a name of exactly 120 characters', async () => {
    expect((await create({ name: 'x'.repeat(120), slug: 'name-at-limit' })).statusCode).toBe(201);
  });

  it.each([
    ['community name', () => ({ method: 'POST' as const, url: '/v1/communities', payload: { name: '   ', slug: 'blank' } })],
    ['theme', () => ({ method: 'PATCH' as const, url: `/v1/communities/${community.id}`, payload: { themes: ['zorg', ' '] } })],
    ['organisation name', () => ({ method: 'POST' as const, url: `/v1/communities/${community.id}/organisations`, payload: { name: ' \t ' } })],
    [
      'space name',
      () => ({
        method: 'POST' as const,
        url: `/v1/communities/${community.id}/spaces`,
        payload: { channel: 'whatsapp', externalId: newGroup(), name: '  ' },
      }),
    ],
    ['member name', () => ({ method: 'PATCH' as const, url: `/v1/members/${member}`, payload: { displayName: '  ' } })],
    ['token name', () => ({ method: 'POST' as const, url: '/v1/tokens', payload: { name: '  ' } })],
  ])('rejects a blank %s (only white space)', async (_what, request) => {
    expectProblem(await h.api(request()), 400, 'validation');
  });

  it('rejects more than 20 themes', async () => {
    const themes = Array.from({ length: 21 }, (_, i) => `thema ${i}`);
    expectValidation(await create({ name: 'Zorg', slug: 'many-themes', themes }), 'body/themes');
  });

  it('rejects an empty body on a change', async () => {
    expectProblem(await h.api({ method: 'PATCH', url: `/v1/communities/${community.id}`, payload: {} }), 400, 'validation');
  });

  it.each([
    ['phase', { phase: 'launch' }, 'body/phase'],
    ['language', { language: 'de' }, 'body/language'],
  ])('rejects an unknown %s', async (_what, payload, field) => {
    expectValidation(await h.api({ method: 'PATCH', url: `/v1/communities/${community.id}`, payload }), field);
  });

  it('rejects an unknown channel', async () => {
    const res = await h.api({
      method: 'POST',
      url: `/v1/communities/${community.id}/spaces`,
      payload: { channel: 'signal', externalId: 'abc', name: 'Signal-groep' },
    });
    expectValidation(res, 'body/channel');
  });

  it('rejects an unknown member role', async () => {
    const res = await h.api({ method: 'PATCH', url: `/v1/members/${member}`, payload: { role: 'king' } });
    expectValidation(res, 'body/role');
  });

  it('rejects a member language the bot cannot speak', async () => {
    const res = await h.api({ method: 'PATCH', url: `/v1/members/${member}`, payload: { language: 'fr' } });
    expectProblem(res, 400, 'validation');
    expect(res.body).toContain('body/language');
  });

  it('gives 400 invalid for a timezone that is not an IANA name', async () => {
    const problem = expectProblem(await create({ name: 'Zorg', slug: 'bad-tz', timezone: 'Mars/Olympus' }), 400, 'invalid');
    expect(problem.detail).toContain('Mars/Olympus');
    const patch = await h.api({ method: 'PATCH', url: `/v1/communities/${community.id}`, payload: { timezone: 'CET+99' } });
    expectProblem(patch, 400, 'invalid');
  });

  // A JSON body says what type a value is: nothing is coerced, so a wrong type is refused
  // instead of quietly turned into another value (0 or false into null, "12" into 12).
  it.each([
    ['a number for a nullable id', { hostOrganisationId: 0 }, 'body/hostOrganisationId'],
    ['false for a nullable text', { location: false }, 'body/location'],
    ['an empty string for a nullable id', { hostOrganisationId: '' }, 'body/hostOrganisationId'],
    ['a numeric string for a number', { capacity: '12' }, 'body/capacity'],
  ])('refuses %s instead of coercing it', async (_, fields, path) => {
    const payload = { kind: 'meetup', title: 'Koffie', startsAt: '2026-05-12T10:00:00+02:00', ...fields };
    const res = await h.api({ method: 'POST', url: `/v1/communities/${community.id}/events`, payload });
    expectValidation(res, path);
    const listed = await h.api({ method: 'GET', url: `/v1/communities/${community.id}/events` });
    expect(listed.json().total).toBe(0);
  });
});

describe('path and query validation', () => {
  it('rejects an id that is not a uuid', async () => {
    expectValidation(await h.api({ method: 'GET', url: '/v1/communities/not-a-uuid' }), 'params/id');
    expectValidation(await h.api({ method: 'GET', url: '/v1/members/123' }), 'params/id');
    expectValidation(await h.api({ method: 'DELETE', url: '/v1/spaces/drop-table' }), 'params/id');
  });

  it('rejects a page limit above 200', async () => {
    expectValidation(await h.api({ method: 'GET', url: '/v1/communities?limit=201' }), 'querystring/limit');
  });

  it('accepts a page limit of exactly 200', async () => {
    const res = await h.api({ method: 'GET', url: '/v1/communities?limit=200' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ limit: 200 });
  });

  it('rejects a negative offset and a zero limit', async () => {
    expectValidation(await h.api({ method: 'GET', url: '/v1/communities?offset=-1' }), 'querystring/offset');
    expectValidation(await h.api({ method: 'GET', url: '/v1/communities?limit=0' }), 'querystring/limit');
  });

  it('rejects an unknown query parameter', async () => {
    expectValidation(await h.api({ method: 'GET', url: '/v1/communities?sort=name' }), 'querystring/sort');
  });

  it('rejects an unknown channel or status filter', async () => {
    expectValidation(
      await h.api({ method: 'GET', url: `/v1/communities/${community.id}/spaces?channel=signal` }),
      'querystring/channel',
    );
    expectValidation(
      await h.api({ method: 'GET', url: `/v1/communities/${community.id}/deliveries?status=lost` }),
      'querystring/status',
    );
  });
});

describe('malformed requests', () => {
  it('gives 400, not 500, for a body that is not JSON', async () => {
    const res = await h.api({
      method: 'POST',
      url: '/v1/communities',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Zorg", "slug": ',
    });
    expectProblem(res, 400, 'bad-request');
  });

  it('gives 400 for a body trying to set __proto__', async () => {
    const res = await h.api({
      method: 'POST',
      url: '/v1/communities',
      headers: { 'content-type': 'application/json' },
      payload: '{"name": "Zorg", "slug": "proto", "__proto__": {"admin": true}}',
    });
    expectProblem(res, 400, 'bad-request');
  });

  it('gives 413 for a body over the limit', async () => {
    const res = await create({ name: 'Zorg', slug: 'huge', purpose: 'x'.repeat(300 * 1024) });
    expectProblem(res, 413, 'payload-too-large');
  });

  it('gives 415 for a form-encoded body', async () => {
    const res = await h.api({
      method: 'POST',
      url: '/v1/communities',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'name=Zorg',
    });
    expectProblem(res, 415, 'unsupported-media-type');
  });

  it('gives a problem 404 for a route that does not exist', async () => {
    expectProblem(await h.api({ method: 'GET', url: '/v1/nothing-here' }), 404, 'not-found');
  });
});

describe('conflicts', () => {
  it('gives 409 for a slug another community has', async () => {
    expect((await create({ name: 'Eerste', slug: 'dubbel' })).statusCode).toBe(201);
    const problem = expectProblem(await create({ name: 'Tweede', slug: 'dubbel' }), 409, 'conflict');
    expect(problem.detail).toContain('dubbel');
  });

  it('gives 409 for renaming a slug to one that is taken', async () => {
    const res = await h.api({ method: 'PATCH', url: `/v1/communities/${community.id}`, payload: { slug: 'dubbel' } });
    expectProblem(res, 409, 'conflict');
  });

  it('gives 409 for linking the same WhatsApp group twice, even to another community', async () => {
    const group = newGroup();
    const link = (communityId: string) =>
      h.api({
        method: 'POST',
        url: `/v1/communities/${communityId}/spaces`,
        payload: { channel: 'whatsapp', externalId: group, name: 'Dezelfde groep' },
      });
    expect((await link(community.id)).statusCode).toBe(201);
    expectProblem(await link(community.id), 409, 'conflict');
    const second = (await create({ name: 'Ander', slug: 'ander-voor-groep' })).json() as { id: string };
    expectProblem(await link(second.id), 409, 'conflict');
  });
});
