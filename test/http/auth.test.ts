import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectProblem, managerToken, seed } from './support.js';

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

describe('bearer authentication', () => {
  it('refuses a request without a token with 401 and a Bearer challenge', async () => {
    const res = await h.api({ method: 'GET', url: '/v1/communities', token: null });
    const problem = expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer realm=/);
    expect(problem.instance).toBe('/v1/communities');
  });

  it('refuses an unknown token with 401', async () => {
    const res = await h.api({ method: 'GET', url: '/v1/communities', token: 'samen_not-a-real-token' });
    expectProblem(res, 401, 'unauthorized');
    expect(res.headers['www-authenticate']).toMatch(/^Bearer /);
  });

  it('refuses a header that is not a bearer token', async () => {
    const res = await h.api({
      method: 'GET',
      url: '/v1/communities',
      token: null,
      headers: { authorization: `Basic ${Buffer.from('admin:secret').toString('base64')}` },
    });
    expectProblem(res, 401, 'unauthorized');
  });

  it('refuses before reading the body, so a stranger learns nothing about validation', async () => {
    const res = await h.api({ method: 'POST', url: '/v1/communities', payload: { nonsense: true }, token: null });
    expectProblem(res, 401, 'unauthorized');
  });

  it('accepts the admin token', async () => {
    const res = await h.api({ method: 'GET', url: '/v1/communities' });
    expect(res.statusCode).toBe(200);
  });

  it('quotes the caller’s X-Request-Id in the problem', async () => {
    const res = await h.api({
      method: 'GET',
      url: '/v1/communities',
      token: null,
      headers: { 'x-request-id': 'trace-4711' },
    });
    expect(expectProblem(res, 401, 'unauthorized').requestId).toBe('trace-4711');
  });
});

describe('issuing tokens', () => {
  it('shows the secret once, at issue, and never in the token list', async () => {
    const { community } = await seed(h);
    const issued = await h.api({
      method: 'POST',
      url: '/v1/tokens',
      payload: { name: 'Dashboard Wijkzorg', communityId: community.id },
    });
    expect(issued.statusCode).toBe(201);
    const token = issued.json() as { id: string; token: string; communityId: string; name: string };
    expect(token.token).toMatch(/^samen_/);
    expect(token).toMatchObject({ name: 'Dashboard Wijkzorg', communityId: community.id, revokedAt: null });

    const list = await h.api({ method: 'GET', url: '/v1/tokens' });
    expect(list.statusCode).toBe(200);
    const listed = (list.json() as { items: Record<string, unknown>[] }).items.find((t) => t.id === token.id);
    expect(listed).toMatchObject({ name: 'Dashboard Wijkzorg', communityId: community.id });
    expect(listed).not.toHaveProperty('token');
    expect(listed).not.toHaveProperty('hash');
    expect(list.body).not.toContain(token.token);
  });

  it('issues a working token that the holder can use', async () => {
    const { community } = await seed(h);
    const token = await managerToken(h, community.id);
    const res = await h.api({ method: 'GET', url: `/v1/communities/${community.id}`, token });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ id: community.id });
  });

  it('records when a token was last used', async () => {
    const issued = await h.api({ method: 'POST', url: '/v1/tokens', payload: { name: 'integration' } });
    const { id, token } = issued.json() as { id: string; token: string };
    const lastUsed = async () =>
      ((await h.api({ method: 'GET', url: '/v1/tokens' })).json() as { items: { id: string; lastUsedAt: string | null }[] }).items.find(
        (t) => t.id === id,
      )?.lastUsedAt;
    expect(await lastUsed()).toBeNull();
    await h.api({ method: 'GET', url: '/v1/communities', token });
    expect(await lastUsed()).toBe(h.clock.now().toISOString());
  });

  it('gives 404 for a manager token of a community that does not exist', async () => {
    const res = await h.api({
      method: 'POST',
      url: '/v1/tokens',
      payload: { name: 'ghost', communityId: '00000000-0000-4000-8000-000000000000' },
    });
    expectProblem(res, 404, 'not-found');
  });
});

describe('revoking tokens', () => {
  it('stops a revoked token from working', async () => {
    const { community } = await seed(h);
    const issued = await h.api({ method: 'POST', url: '/v1/tokens', payload: { name: 'leaving', communityId: community.id } });
    const { id, token } = issued.json() as { id: string; token: string };
    expect((await h.api({ method: 'GET', url: '/v1/communities', token })).statusCode).toBe(200);

    const revoked = await h.api({ method: 'DELETE', url: `/v1/tokens/${id}` });
    expect(revoked.statusCode).toBe(204);
    expect(revoked.body).toBe('');

    expectProblem(await h.api({ method: 'GET', url: '/v1/communities', token }), 401, 'unauthorized');
    const listed = ((await h.api({ method: 'GET', url: '/v1/tokens' })).json() as { items: { id: string; revokedAt: string | null }[] }).items;
    expect(listed.find((t) => t.id === id)?.revokedAt).toEqual(expect.any(String));
  });

  it('gives 404 for revoking a token twice', async () => {
    const issued = await h.api({ method: 'POST', url: '/v1/tokens', payload: { name: 'twice' } });
    const { id } = issued.json() as { id: string };
    expect((await h.api({ method: 'DELETE', url: `/v1/tokens/${id}` })).statusCode).toBe(204);
    expectProblem(await h.api({ method: 'DELETE', url: `/v1/tokens/${id}` }), 404, 'not-found');
  });
});
