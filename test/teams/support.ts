import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import path from 'node:path';
import pino from 'pino';
import { afterAll, beforeAll } from 'vitest';
import { createTeamsAdapter, loadTeamsConfig, type TeamsAdapterDeps } from '../../adapters/teams/index.js';
import type { ChannelAdapter } from '../../src/adapter.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const FIXTURES = path.resolve(import.meta.dirname, '../../adapters/teams/fixtures');

/** One request the fake Bot Connector received. */
export interface ConnectorCall {
  conversationId: string;
  replyToId?: string;
  activity: Record<string, any>;
  authorization?: string;
  at: number;
  /** The activity id the fake answered with (a new post's id: the root of its thread). */
  responseId?: string;
  /** POST (a new post), PUT (an edit of activity `replyToId`), DELETE (its deletion). */
  method?: string;
}

/** A scripted answer, after `delayMs` if given; 'hang' never answers, 'drop' closes the connection without an answer. */
type Scripted = { status: number; headers?: Record<string, string>; body?: unknown; delayMs?: number } | 'hang' | 'drop';

/**
 * A local stand-in for Teams' Bot Connector: records `POST /v3/conversations/:id/activities[/:id]`
 * and answers 201 with a new activity id, or whatever a test scripted next (429, 403, …).
 */
export async function startFakeConnector() {
  const calls: ConnectorCall[] = [];
  const script: Scripted[] = [];
  const waiters: (() => void)[] = [];
  let counter = 0;
  const server: Server = createServer(async (req: IncomingMessage, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const match = /^\/v3\/conversations\/([^/]+)\/activities(?:\/([^/]+))?$/.exec(req.url ?? '');
    const changing = (req.method === 'PUT' || req.method === 'DELETE') && match?.[2];
    if ((req.method !== 'POST' && !changing) || !match) {
      res.writeHead(404).end();
      return;
    }
    const next = script.shift();
    if (next === 'hang') return; // never answers
    if (next === 'drop') return void req.socket.destroy();
    calls.push({
      conversationId: decodeURIComponent(match[1]!),
      replyToId: match[2] ? decodeURIComponent(match[2]) : undefined,
      activity: chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {},
      authorization: req.headers.authorization,
      at: Date.now(),
      method: req.method,
    });
    for (const wake of waiters.splice(0)) wake();
    if (next) {
      if (next.delayMs) await new Promise((resolve) => setTimeout(resolve, next.delayMs));
      res.writeHead(next.status, { 'content-type': 'application/json', ...next.headers }).end(JSON.stringify(next.body ?? {}));
      return;
    }
    if (changing) {
      // Teams answers an edit or a deletion of a bot's post with 200 (a new post: 201).
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(req.method === 'PUT' ? { id: match[2] } : {}));
      return;
    }
    const id = `sent-${++counter}`;
    calls.at(-1)!.responseId = id;
    res.writeHead(201, { 'content-type': 'application/json' }).end(JSON.stringify({ id }));
  });
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  return {
    url,
    calls,
    /** The next answers, in order, instead of 201. */
    answer(...answers: Scripted[]) {
      script.push(...answers);
    },
    /** Texts (or card texts) posted to one conversation id. */
    textsTo(conversationId: string) {
      return calls.filter((c) => c.conversationId === conversationId).map((c) => textOf(c.activity));
    },
    /** How many connections to it are open (kept alive by the adapter's HTTP client). */
    openConnections: () => sockets.size,
    /** Resolves once `n` calls have arrived. */
    async waitForCalls(n: number, timeoutMs = 5_000) {
      const deadline = Date.now() + timeoutMs;
      while (calls.length < n) {
        if (Date.now() > deadline) throw new Error(`expected ${n} calls at the fake connector, got ${calls.length}`);
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 50);
        });
      }
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

export type FakeConnector = Awaited<ReturnType<typeof startFakeConnector>>;

/** A message's text: the text itself, or the text blocks of its Adaptive Card. */
export function textOf(activity: Record<string, any>): string {
  if (activity.text) return activity.text as string;
  const card = activity.attachments?.[0]?.content;
  return (card?.body ?? []).map((b: { text?: string }) => b.text ?? '').join('\n');
}

let unique = 0;

/** A recorded Teams payload from adapters/teams/fixtures, with fresh ids so tests do not meet. */
export function fixture(name: string): Record<string, any> {
  return JSON.parse(readFileSync(path.join(FIXTURES, `${name}.json`), 'utf8'));
}

/** Fresh ids for a test: a channel, a thread root, a personal chat, a person. */
export function freshIds() {
  const n = `${Date.now().toString(36)}${(++unique).toString(36)}`;
  return {
    channel: `19:chan${n}@thread.tacv2`,
    team: `19:team${n}@thread.tacv2`,
    personal: `a:1personal${n}`,
    groupChat: `19:chat${n}@thread.v2`,
    aad: `00000000-0000-4000-8000-${n.padStart(12, '0').slice(-12)}`,
    activity: () => `${n}-${++unique}`,
  };
}

/** The app on a random loopback port with the real Teams adapter in local mode. */
export async function startTeams(options: Partial<TeamsAdapterDeps> = {}, env: Record<string, string> = {}) {
  let adapter!: ChannelAdapter;
  const h: Harness = await createHarness({
    adapters: (core) => {
      adapter = createTeamsAdapter({
        config: loadTeamsConfig(env),
        core,
        logger: pino({ level: process.env.TEST_LOG_LEVEL ?? 'silent' }),
        ...options,
      });
      return [adapter];
    },
  });
  await h.app.listen({ port: 0, host: '127.0.0.1' });
  const base = `http://127.0.0.1:${(h.app.server.address() as AddressInfo).port}`;
  return {
    h,
    adapter,
    base,
    /** POSTs an activity to /api/messages as Teams would. */
    async post(activity: unknown, headers: Record<string, string> = {}) {
      const res = await fetch(`${base}/api/messages`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: typeof activity === 'string' ? activity : JSON.stringify(activity),
      });
      const text = await res.text();
      return { status: res.status, contentType: res.headers.get('content-type') ?? '', text, json: () => JSON.parse(text) };
    },
  };
}

export type Teams = Awaited<ReturnType<typeof startTeams>>;

/**
 * A fake Bot Connector and the app with the real Teams adapter (`options` as startTeams takes
 * them) for one test file: started before its tests, closed after them. The two objects returned
 * are filled in (Object.assign) when they start, so read them inside tests, not at module load.
 */
export function useTeams(options: Partial<TeamsAdapterDeps> = {}) {
  const teams = {} as Teams;
  const connector = {} as FakeConnector;
  beforeAll(async () => {
    Object.assign(connector, await startFakeConnector());
    Object.assign(teams, await startTeams(options));
  });
  afterAll(async () => {
    await teams.h?.close();
    await connector.close?.();
  });
  return { teams, connector };
}

/** Creates a community and links a Teams channel to it by REST, as a manager would. */
export async function communityWithChannel(h: Harness, channelId: string, fields: Record<string, unknown> = {}) {
  const created = await h.api({
    method: 'POST',
    url: '/v1/communities',
    payload: { name: 'Wijkzorg Utrecht', slug: `wijkzorg-${Date.now().toString(36)}${++unique}`, language: 'en', rules: '1. Be kind.\n2. No client data.', ...fields },
  });
  if (created.statusCode !== 201) throw new Error(`seed failed: ${created.body}`);
  const community = created.json() as { id: string; slug: string };
  const space = await h.api({ method: 'POST', url: `/v1/communities/${community.id}/spaces`, payload: { channel: 'teams', externalId: channelId, name: 'Algemeen' } });
  if (space.statusCode !== 201) throw new Error(`link failed: ${space.body}`);
  return community;
}
