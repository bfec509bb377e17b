import type { FastifyInstance, InjectOptions, LightMyRequestResponse } from 'fastify';
import pino from 'pino';
import type { ChannelAdapter } from '../../src/adapter.js';
import type { InboundMessage } from '../../src/core/channel.js';
import { createCore, type Core } from '../../src/core/index.js';
import type { InboundOptions } from '../../src/core/inbound/inbound.service.js';
import type { DispatcherOptions } from '../../src/core/outbox/dispatcher.js';
import type { Database } from '../../src/db/client.js';
import { buildApp } from '../../src/http/app.js';
import { createTestDatabase } from './database.js';
import { createTestAdapter, type TestAdapter } from './test-adapter.js';

/** A clock tests move by hand. */
export function fakeClock(start = new Date('2026-03-02T09:00:00Z')) {
  let now = start.getTime();
  return {
    now: () => new Date(now),
    advance(ms: number) {
      now += ms;
    },
  };
}

export interface Harness {
  database: Database;
  core: Core;
  app: FastifyInstance;
  clock: ReturnType<typeof fakeClock>;
  whatsapp: TestAdapter;
  teams: TestAdapter;
  adminToken: string;
  /** A request with the admin token unless `token` says otherwise (null: none). */
  api(options: InjectOptions & { token?: string | null }): Promise<LightMyRequestResponse>;
  /** Sends every due outbox row now (no background timers in tests). */
  flush(): Promise<number>;
  close(): Promise<void>;
}

/** A core on a fresh database, the HTTP app around it, and test adapters on both channels. */
export async function createHarness(
  options: {
    dispatcher?: DispatcherOptions;
    inbound?: InboundOptions;
    /**
     * Real adapters to run instead of the test adapter on their channel; their routes are
     * served by the app. They are started after the app is ready and stopped on close().
     */
    adapters?: (core: Core, clock: ReturnType<typeof fakeClock>) => ChannelAdapter[];
  } = {},
): Promise<Harness> {
  const database = await createTestDatabase();
  const clock = fakeClock();
  const logger = pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' });
  const { adapters: makeAdapters, ...coreOptions } = options;
  const core = createCore({ db: database.db, logger, clock: clock.now, ...coreOptions });
  const whatsapp = createTestAdapter('whatsapp');
  const teams = createTestAdapter('teams');
  core.registerChannel(whatsapp.port);
  core.registerChannel(teams.port);
  const adapters = makeAdapters?.(core, clock) ?? [];
  for (const adapter of adapters) core.registerChannel(adapter.port);
  const adminToken = 'test-admin-token-0123456789abcdef';
  await core.tokens.bootstrap(adminToken);
  const app = await buildApp({
    config: { publicUrl: 'http://localhost:3000', rateLimitPerMinute: 0 },
    core,
    database,
    logger,
    adapters,
  });
  await app.ready();
  for (const adapter of adapters) await adapter.start();

  return {
    database,
    core,
    app,
    clock,
    whatsapp,
    teams,
    adminToken,
    api: ({ token, headers, ...rest }) => {
      const bearer = token === undefined ? adminToken : token;
      return app.inject({ ...rest, headers: { ...headers, ...(bearer ? { authorization: `Bearer ${bearer}` } : {}) } });
    },
    async flush() {
      let total = 0;
      for (let n = await core.dispatcher.runOnce(); n > 0; n = await core.dispatcher.runOnce()) total += n;
      return total;
    },
    async close() {
      await app.close();
      await Promise.allSettled(adapters.map((adapter) => adapter.stop()));
      await core.dispatcher.stop();
      await database.close();
    },
  };
}

/** Moves the harness clock forward to `iso`, runs the scheduler once and sends what it queued. */
export async function runAt(h: Harness, iso: string) {
  const step = new Date(iso).getTime() - h.clock.now().getTime();
  if (step < 0) throw new Error(`${iso} is before the harness clock (${h.clock.now().toISOString()})`);
  h.clock.advance(step);
  await h.core.scheduler.runOnce();
  await h.flush();
}

let counter = 0;

/** An inbound message from a WhatsApp group, with defaults a test can override. */
export function groupMessage(
  group: string,
  sender: string,
  text: string,
  extra: Partial<InboundMessage> = {},
): InboundMessage {
  return {
    channel: 'whatsapp',
    externalMessageId: `msg-${++counter}-${Date.now()}`,
    space: { externalId: group, direct: false },
    sender: { externalId: sender, displayName: sender.split('@')[0] },
    text,
    ...extra,
  };
}

/** Creates a community with a linked WhatsApp group through the REST API, as a manager would. */
export async function seedCommunity(
  h: Harness,
  fields: Record<string, unknown> = {},
  group = '120363000000000001@g.us',
) {
  const created = await h.api({
    method: 'POST',
    url: '/v1/communities',
    payload: { name: 'Wijkzorg Utrecht', slug: `wijkzorg-${++counter}`, ...fields },
  });
  if (created.statusCode !== 201) throw new Error(`seed failed: ${created.body}`);
  const community = created.json() as { id: string; slug: string; language: string };
  const space = await h.api({
    method: 'POST',
    url: `/v1/communities/${community.id}/spaces`,
    payload: { channel: 'whatsapp', externalId: group, name: 'Wijkzorg app-groep' },
  });
  if (space.statusCode !== 201) throw new Error(`seed space failed: ${space.body}`);
  return { community, group, address: `whatsapp:${group}` };
}
