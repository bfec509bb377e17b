import type { InjectOptions } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, groupMessage, type Harness } from '../helpers/harness.js';
import { expectProblem, managerToken, memberWhoWrites, seed } from './support.js';

/**
 * Two communities, a manager token for the first. Everything of the second must look, to that
 * manager, exactly as if it did not exist.
 */
let h: Harness;
let own: { id: string };
let other: { id: string; member: string; organisation: string; space: string };
let token: string;

beforeAll(async () => {
  h = await createHarness();
  own = (await seed(h, { name: 'Wijkzorg Utrecht' })).community;
  const second = await seed(h, { name: 'Onderwijs Amersfoort' });
  const member = await memberWhoWrites(h, second.group, '31611111111@c.us');
  await h.core.receive(groupMessage(second.group, '31611111111@c.us', '/help'));
  const organisation = await h.api({
    method: 'POST',
    url: `/v1/communities/${second.community.id}/organisations`,
    payload: { name: 'Basisschool De Linde' },
  });
  const spaces = await h.api({ method: 'GET', url: `/v1/communities/${second.community.id}/spaces` });
  other = {
    id: second.community.id,
    member,
    organisation: (organisation.json() as { id: string }).id,
    space: (spaces.json() as { items: { id: string }[] }).items[0]!.id,
  };
  token = await managerToken(h, own.id);
});
afterAll(() => h.close());

describe('a manager token in its own community', () => {
  it('sees its own community', async () => {
    const res = await h.api({ method: 'GET', url: `/v1/communities/${own.id}`, token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: own.id, name: 'Wijkzorg Utrecht' });
  });

  it('lists only its own community', async () => {
    const res = await h.api({ method: 'GET', url: '/v1/communities', token });
    expect(res.statusCode).toBe(200);
    const page = res.json() as { items: { id: string }[]; total: number };
    expect(page.items.map((c) => c.id)).toEqual([own.id]);
    expect(page.total).toBe(1);
  });

  it('while the admin lists both', async () => {
    const page = (await h.api({ method: 'GET', url: '/v1/communities' })).json() as { items: { id: string }[] };
    expect(page.items.map((c) => c.id)).toEqual(expect.arrayContaining([own.id, other.id]));
  });

  it('can change its own community', async () => {
    const res = await h.api({
      method: 'PATCH',
      url: `/v1/communities/${own.id}`,
      payload: { phase: 'core-group' },
      token,
    });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ phase: 'core-group' });
  });

  it('can add an organisation and link a space to its own community', async () => {
    const org = await h.api({
      method: 'POST',
      url: `/v1/communities/${own.id}/organisations`,
      payload: { name: 'Buurtteam Noord' },
      token,
    });
    expect(org.statusCode).toBe(201);
    const space = await h.api({
      method: 'POST',
      url: `/v1/communities/${own.id}/spaces`,
      payload: { channel: 'teams', externalId: '19:own-channel@thread.tacv2', name: 'Algemeen' },
      token,
    });
    expect(space.statusCode).toBe(201);
  });
});

describe('a manager token and another community', () => {
  const cases: [string, () => InjectOptions][] = [
    ['the community', () => ({ method: 'GET', url: `/v1/communities/${other.id}` })],
    ['a change to the community', () => ({ method: 'PATCH', url: `/v1/communities/${other.id}`, payload: { phase: 'launched' } })],
    ['its house rules', () => ({ method: 'GET', url: `/v1/communities/${other.id}/rules` })],
    ['its members', () => ({ method: 'GET', url: `/v1/communities/${other.id}/members` })],
    ['one of its members', () => ({ method: 'GET', url: `/v1/members/${other.member}` })],
    ['a change to one of its members', () => ({ method: 'PATCH', url: `/v1/members/${other.member}`, payload: { role: 'manager' } })],
    ['its spaces', () => ({ method: 'GET', url: `/v1/communities/${other.id}/spaces` })],
    [
      'linking a space to it',
      () => ({
        method: 'POST',
        url: `/v1/communities/${other.id}/spaces`,
        payload: { channel: 'whatsapp', externalId: '120363999999999999@g.us', name: 'Kaping' },
      }),
    ],
    ['unlinking one of its spaces', () => ({ method: 'DELETE', url: `/v1/spaces/${other.space}` })],
    ['its organisations', () => ({ method: 'GET', url: `/v1/communities/${other.id}/organisations` })],
    ['adding an organisation to it', () => ({ method: 'POST', url: `/v1/communities/${other.id}/organisations`, payload: { name: 'Indringer BV' } })],
    ['one of its organisations', () => ({ method: 'GET', url: `/v1/organisations/${other.organisation}` })],
    ['a change to one of its organisations', () => ({ method: 'PATCH', url: `/v1/organisations/${other.organisation}`, payload: { name: 'Hijacked' } })],
    ['its deliveries', () => ({ method: 'GET', url: `/v1/communities/${other.id}/deliveries` })],
  ];

  it.each(cases)('gives a manager of another community a 404 for %s', async (_what, request) => {
    const res = await h.api({ ...request(), token });
    const problem = expectProblem(res, 404, 'not-found');
    expect(problem.detail).not.toContain(other.id);
  });

  it('leaves the other community untouched after those attempts', async () => {
    const community = (await h.api({ method: 'GET', url: `/v1/communities/${other.id}` })).json() as { phase: string };
    expect(community.phase).toBe('initiative');
    const member = (await h.api({ method: 'GET', url: `/v1/members/${other.member}` })).json() as { role: string };
    expect(member.role).toBe('member');
    const org = (await h.api({ method: 'GET', url: `/v1/organisations/${other.organisation}` })).json() as { name: string };
    expect(org.name).toBe('Basisschool De Linde');
    const spaces = (await h.api({ method: 'GET', url: `/v1/communities/${other.id}/spaces` })).json() as { total: number };
    expect(spaces.total).toBe(1);
  });

  it('answers exactly as for an id that exists nowhere', async () => {
    const missing = await h.api({ method: 'GET', url: '/v1/communities/00000000-0000-4000-8000-000000000000', token });
    const hidden = await h.api({ method: 'GET', url: `/v1/communities/${other.id}`, token });
    expect(hidden.statusCode).toBe(missing.statusCode);
    expect((hidden.json() as { detail: string }).detail).toBe((missing.json() as { detail: string }).detail);
  });
});

describe('a manager token and admin-only operations', () => {
  const cases: [string, () => InjectOptions][] = [
    ['creating a community', () => ({ method: 'POST', url: '/v1/communities', payload: { name: 'Nieuw', slug: 'nieuw-door-manager' } })],
    ['issuing a token', () => ({ method: 'POST', url: '/v1/tokens', payload: { name: 'mine', communityId: own.id } })],
    ['listing tokens', () => ({ method: 'GET', url: '/v1/tokens' })],
    ['revoking a token', () => ({ method: 'DELETE', url: '/v1/tokens/00000000-0000-4000-8000-000000000000' })],
  ];

  it.each(cases)('gives a manager 403 for %s', async (_what, request) => {
    expectProblem(await h.api({ ...request(), token }), 403, 'forbidden');
  });

  it('did not create the community it was refused', async () => {
    const page = (await h.api({ method: 'GET', url: '/v1/communities' })).json() as { items: { slug: string }[] };
    expect(page.items.map((c) => c.slug)).not.toContain('nieuw-door-manager');
  });
});
