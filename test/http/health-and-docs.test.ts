import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectProblem } from './support.js';

interface Operation {
  security?: Record<string, string[]>[];
  responses: Record<string, { content?: Record<string, unknown> }>;
}
interface OpenApi {
  openapi: string;
  security?: Record<string, string[]>[];
  components: { securitySchemes: Record<string, { type: string; scheme: string }> };
  paths: Record<string, Record<string, Operation>>;
}

let h: Harness;
let spec: OpenApi;
beforeAll(async () => {
  h = await createHarness();
  spec = (await h.api({ method: 'GET', url: '/docs/json', token: null })).json() as OpenApi;
});
afterAll(() => h.close());

const CALENDAR_FEED = '/v1/communities/{id}/calendar.ics';

/** The security an operation ends up with: its own, else the document's. */
const securityOf = (operation: Operation) => operation.security ?? spec.security ?? [];

describe('health checks', () => {
  it('says the process is alive, without a token', async () => {
    const res = await h.api({ method: 'GET', url: '/healthz', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok' });
  });

  it('says it is ready when the database answers and is migrated, without a token', async () => {
    const res = await h.api({ method: 'GET', url: '/readyz', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ready' });
  });

});

describe('when the database is gone', () => {
  let broken: Harness;
  beforeAll(async () => {
    broken = await createHarness();
    await broken.core.dispatcher.stop();
    await broken.database.close();
  });
  afterAll(() => broken.app.close());

  it('says it is not ready', async () => {
    const res = await broken.api({ method: 'GET', url: '/readyz', token: null });
    expect(res.statusCode).toBe(503);
    expect((res.json() as { status: string }).status).not.toBe('ready');
  });

  it('answers the API with a bare 500 problem and a request id to quote, never the cause', async () => {
    const res = await broken.api({ method: 'GET', url: '/v1/communities' });
    const problem = expectProblem(res, 500, 'internal');
    expect(problem.detail).toMatch(/request id/);
    expect(res.body).not.toMatch(/pglite|postgres|closed|connection|database|sql/i);
  });
});

describe('API documentation', () => {
  it('serves the OpenAPI document without a token', async () => {
    const res = await h.api({ method: 'GET', url: '/docs/json', token: null });
    expect(res.statusCode).toBe(200);
    expect(spec.openapi).toMatch(/^3\./);
  });

  it('lists every /v1 resource', () => {
    expect(Object.keys(spec.paths)).toEqual(
      expect.arrayContaining([
        '/v1/communities',
        '/v1/communities/{id}',
        '/v1/communities/{id}/rules',
        '/v1/communities/{id}/organisations',
        '/v1/organisations/{id}',
        '/v1/communities/{id}/members',
        '/v1/members/{id}',
        '/v1/communities/{id}/spaces',
        '/v1/spaces/{id}',
        '/v1/communities/{id}/deliveries',
        '/v1/tokens',
        '/v1/tokens/{id}',
      ]),
    );
  });

  it('documents bearer authentication on every /v1 operation', () => {
    expect(spec.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    // The calendar feed is the one exception: calendar apps cannot send a bearer token, so the
    // secret in its URL is the credential (see the next test).
    const v1 = Object.entries(spec.paths).filter(([path]) => path.startsWith('/v1/') && path !== CALENDAR_FEED);
    expect(v1.length).toBeGreaterThan(0);
    for (const [path, operations] of v1) {
      for (const [method, operation] of Object.entries(operations)) {
        expect(securityOf(operation), `${method} ${path}`).toContainEqual({ bearer: [] });
      }
    }
  });

  it('documents the calendar feed as open to whoever holds its secret URL', () => {
    expect(securityOf(spec.paths[CALENDAR_FEED]!.get!)).toEqual([]);
  });

  it('documents the health checks as open, since load balancers call them without a token', () => {
    for (const path of ['/healthz', '/readyz']) {
      expect(securityOf(spec.paths[path]!.get!), path).toEqual([]);
    }
  });

  it('documents error responses with the media type they are sent with', () => {
    const responses = spec.paths['/v1/communities']!.post!.responses;
    expect(Object.keys(responses['400']?.content ?? {})).toEqual(['application/problem+json']);
    expect(Object.keys(responses['201']?.content ?? {})).toEqual(['application/json']);
  });

  it('serves the interactive documentation as HTML', async () => {
    const res = await h.api({ method: 'GET', url: '/docs', token: null });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/html/);
    expect(res.body).toContain('<html');
  });
});
