import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/core/index.js';
import type { Database } from '../../src/db/client.js';
import { buildApp } from '../../src/http/app.js';
import { createTestDatabase } from '../helpers/database.js';
import { expectProblem } from './support.js';

/** The harness turns rate limiting off; this file builds the app with a limit of 3 a minute. */
let database: Database;
let app: FastifyInstance;
let core: ReturnType<typeof createCore>;
beforeAll(async () => {
  database = await createTestDatabase();
  const logger = pino({ level: 'silent' });
  core = createCore({ db: database.db, logger });
  await core.tokens.bootstrap('rate-limit-admin-token');
  app = await buildApp({ config: { publicUrl: 'http://localhost:3000', rateLimitPerMinute: 3 }, core, database, logger });
});
afterAll(async () => {
  await app.close();
  await database.close();
});

const get = (token: string | null, url = '/v1/communities') =>
  app.inject({ method: 'GET', url, headers: token ? { authorization: `Bearer ${token}` } : {} });

describe('rate limiting', () => {
  it('answers the request over the limit with a 429 problem and Retry-After', async () => {
    const { token } = await core.tokens.issue({ kind: 'admin' }, { name: 'busy integration' });
    for (let i = 0; i < 3; i++) expect((await get(token)).statusCode).toBe(200);
    const res = await get(token);
    expectProblem(res, 429, 'rate-limited');
    expect(Number(res.headers['retry-after'])).toBeGreaterThan(0);
  });

  it('counts per client address, so made-up tokens do not buy a fresh allowance', async () => {
    const other = (token: string) =>
      app.inject({ method: 'GET', url: '/v1/communities', remoteAddress: '198.51.100.7', headers: { authorization: `Bearer ${token}` } });
    for (let i = 0; i < 3; i++) expect((await other(`made-up-${i}`)).statusCode).toBe(401);
    expectProblem(await other('made-up-4'), 429, 'rate-limited');
    // Another address is not affected.
    const { token } = await core.tokens.issue({ kind: 'admin' }, { name: 'calm' });
    expect((await app.inject({ method: 'GET', url: '/v1/communities', remoteAddress: '198.51.100.8', headers: { authorization: `Bearer ${token}` } })).statusCode).toBe(200);
  });

  it('behind a trusted proxy, counts the client the proxy names, not the proxy', async () => {
    const proxied = await buildApp({
      config: { publicUrl: 'http://localhost:3000', rateLimitPerMinute: 3, trustProxyHops: 1 },
      core,
      database,
      logger: pino({ level: 'silent' }),
    });
    const from = (client: string) =>
      proxied.inject({ method: 'GET', url: '/v1/communities', remoteAddress: '10.0.0.1', headers: { 'x-forwarded-for': client } });
    for (let i = 0; i < 3; i++) expect((await from('203.0.113.1')).statusCode).toBe(401);
    expect((await from('203.0.113.1')).statusCode).toBe(429);
    expect((await from('203.0.113.2')).statusCode).toBe(401);
    await proxied.close();
  });

  it('leaves the health checks alone', async () => {
    for (let i = 0; i < 5; i++) expect((await get(null, '/healthz')).statusCode).toBe(200);
  });
});
