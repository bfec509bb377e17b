import { readFileSync } from 'node:fs';
import path from 'node:path';
import pino from 'pino';
import { afterEach, describe, expect, it } from 'vitest';
import { createTeamsAdapter, loadTeamsConfig } from '../../adapters/teams/index.js';
import { createCore } from '../../src/core/index.js';
import { buildApp } from '../../src/http/app.js';
import { createTestDatabase } from '../helpers/database.js';

const activity = JSON.parse(readFileSync(path.resolve(import.meta.dirname, '../../adapters/teams/fixtures/personal-message.json'), 'utf8'));

let close: (() => Promise<void>) | undefined;
afterEach(async () => {
  await close?.();
  close = undefined;
});

/** The app with the Teams adapter, logging at `level` into an array of parsed lines. */
async function appLoggingAt(level: string) {
  const lines: { msg: string; req?: { url?: string } }[] = [];
  const logger = pino({ level }, { write: (line: string) => void lines.push(JSON.parse(line)) });
  const database = await createTestDatabase();
  const core = createCore({ db: database.db, logger });
  const teams = createTeamsAdapter({ config: loadTeamsConfig({}), core, logger });
  core.registerChannel(teams.port);
  const app = await buildApp({ config: { publicUrl: 'http://localhost', rateLimitPerMinute: 0 }, core, database, logger, adapters: [teams] });
  await app.ready();
  close = async () => {
    await app.close();
    await core.drain();
    await database.close();
  };
  const requestLines = (url: string) => lines.filter((l) => l.msg === 'incoming request' && l.req?.url === url);
  return { app, requestLines };
}

describe('the route Teams posts every activity to', () => {
  it('leaves Teams activities out of the request log at info, and keeps every other route in it', async () => {
    const { app, requestLines } = await appLoggingAt('info');
    expect((await app.inject({ method: 'POST', url: '/api/messages', payload: activity })).statusCode).toBe(200);
    expect((await app.inject({ method: 'GET', url: '/healthz' })).statusCode).toBe(200);
    expect(requestLines('/api/messages')).toHaveLength(0);
    expect(requestLines('/healthz')).toHaveLength(1);
  });

  it('answers Teams without the browser security headers every other route sends', async () => {
    const { app } = await appLoggingAt('info');
    const teams = await app.inject({ method: 'POST', url: '/api/messages', payload: activity });
    const health = await app.inject({ method: 'GET', url: '/healthz' });
    expect(health.headers['x-content-type-options']).toBe('nosniff');
    expect(teams.headers['x-content-type-options']).toBeUndefined();
  });

  it('logs Teams activities too at debug', async () => {
    const { app, requestLines } = await appLoggingAt('debug');
    expect((await app.inject({ method: 'POST', url: '/api/messages', payload: activity })).statusCode).toBe(200);
    expect(requestLines('/api/messages')).toHaveLength(1);
  });
});
