/**
 * bench/teams: Teams message activities over loopback HTTP to POST /api/messages (local mode,
 * botbuilder's CloudAdapter, the real Teams adapter), the core on PostgreSQL, and the replies
 * posted by the dispatcher to a fake Bot Connector on 127.0.0.1. Prints:
 *   1. activities/s with --concurrency requests in flight (closed loop);
 *   2. at --rate activities/s (open loop, --seconds long): p50/p99 time to the HTTP answer, and
 *      p50/p99 from sending the request to the reply arriving at the connector.
 *
 *   npm run bench:teams -- [--n 10000] [--concurrency 64] [--rate 200] [--seconds 15]
 *                          [--channels 400] [--members 200]
 *
 * Every activity is a `help` @mention starting a thread in one of --channels linked channels, so
 * each reply is told apart by its thread. Microsoft's per-app limit (~50 posts/s) would cap the
 * replies far below 200/s, so the bench raises it: it measures our own overhead, not Teams'.
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a database of
 * its own is created and dropped.
 */
import { randomBytes } from 'node:crypto';
import { Agent, createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import postgres from 'postgres';
import { createTeamsAdapter, loadTeamsConfig } from '../../adapters/teams/index.js';
import { createCore } from '../../src/core/index.js';
import { openDatabase } from '../../src/db/client.js';
import { communities, spaces } from '../../src/db/schema/index.js';
import { buildApp } from '../../src/http/app.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '64' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '15' },
    channels: { type: 'string', default: '400' },
    members: { type: 'string', default: '200' },
    'no-replies': { type: 'boolean', default: false },
  },
});
const n = Number(values.n);
const concurrency = Number(values.concurrency);
const rate = Number(values.rate);
const seconds = Number(values.seconds);
const channelCount = Number(values.channels);
const memberCount = Number(values.members);
const baseUrl = process.env.BENCH_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;
const ms = (v: number) => +v.toFixed(2);

// The fake Bot Connector: notes when each thread's reply arrives.
const replyAt = new Map<string, number>();
const replyWaiters = new Map<string, () => void>();
let connectorCalls = 0;
const connector = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    const at = performance.now();
    connectorCalls++;
    const match = /^\/v3\/conversations\/([^/]+)\/activities/.exec(req.url ?? '');
    if (match) {
      const conversation = decodeURIComponent(match[1]!);
      replyAt.set(conversation, at);
      replyWaiters.get(conversation)?.();
    }
    res.writeHead(201, { 'content-type': 'application/json' }).end(`{"id":"r${connectorCalls}"}`);
  });
});
await new Promise<void>((resolve) => connector.listen(0, '127.0.0.1', resolve));
const serviceUrl = `http://127.0.0.1:${(connector.address() as AddressInfo).port}/`;

const name = `samen_bench_${randomBytes(4).toString('hex')}`;
const admin = postgres(baseUrl, { max: 1, onnotice: () => {} });
await admin.unsafe(`create database ${name}`);
const url = new URL(baseUrl);
url.pathname = `/${name}`;
const database = openDatabase({ url: url.toString(), poolSize: 10 });

try {
  await database.migrate();
  const logger = pino({ level: 'silent' });
  const core = createCore({ db: database.db, logger });
  const teams = createTeamsAdapter({
    config: { ...loadTeamsConfig({}), appRatePerSecond: 100_000 },
    core,
    logger,
  });
  core.registerChannel(teams.port);
  const app = await buildApp({ config: { publicUrl: 'http://localhost', rateLimitPerMinute: 0 }, core, database, logger, adapters: [teams] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  if (!values['no-replies']) core.dispatcher.start();
  await teams.start();
  const endpoint = `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/messages`;

  const [community] = await database.db.insert(communities).values({ name: 'Bench', slug: 'bench', language: 'en' }).returning();
  const channels = Array.from({ length: channelCount }, (_, i) => `19:bench${i}@thread.tacv2`);
  await database.db.insert(spaces).values(channels.map((externalId, i) => ({ communityId: community!.id, channel: 'teams' as const, externalId, name: `Kanaal ${i}` })));

  let seq = 0;
  const activity = (member: number) => {
    const id = `${Date.now()}${++seq}`;
    const thread = `${channels[seq % channels.length]};messageid=${id}`;
    return {
      thread,
      body: JSON.stringify({
        type: 'message',
        id,
        text: '<at>Samen</at> help',
        channelId: 'msteams',
        serviceUrl,
        timestamp: new Date().toISOString(),
        from: { id: `29:member-${member}`, name: `Member ${member}`, aadObjectId: `00000000-0000-4000-8000-${String(member).padStart(12, '0')}` },
        recipient: { id: '28:bench-bot', name: 'Samen' },
        conversation: { id: thread, conversationType: 'channel', isGroup: true, tenantId: 'bench-tenant' },
        entities: [{ type: 'mention', text: '<at>Samen</at>', mentioned: { id: '28:bench-bot', name: 'Samen' } }],
        channelData: { tenant: { id: 'bench-tenant' } },
        locale: 'en-GB',
      }),
    };
  };

  const agent = new Agent({ keepAlive: true, maxSockets: 256 });
  const target = new URL(endpoint);
  function post(body: string): Promise<void> {
    return new Promise((resolve, reject) => {
      const req = request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
        (res) => {
          res.resume();
          res.on('end', () => (res.statusCode === 200 ? resolve() : reject(new Error(`/api/messages answered ${res.statusCode}`))));
        },
      );
      req.on('error', reject);
      req.end(body);
    });
  }

  // Warm-up: every member's first contact, and every channel's first reference.
  for (let i = 0; i < Math.max(memberCount, channelCount); i++) await post(activity(i % memberCount).body);
  await new Promise((resolve) => setTimeout(resolve, 2_000));

  // 1. Throughput, closed loop.
  let next = 0;
  const started = performance.now();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < n) {
        next++;
        await post(activity(next % memberCount).body);
      }
    }),
  );
  const perSecond = Math.round(n / ((performance.now() - started) / 1000));
  // Let the replies of the burst go out before measuring latency.
  const callsBefore = connectorCalls;
  const deadline = Date.now() + 60_000;
  while (connectorCalls - callsBefore < n - 100 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
  await new Promise((resolve) => setTimeout(resolve, 1_000));

  // 2. Latency at a steady rate, open loop.
  const total = rate * seconds;
  const answers: number[] = [];
  const roundTrips: number[] = [];
  const pending: Promise<void>[] = [];
  const t0 = performance.now();
  for (let i = 0; i < total; i++) {
    const due = t0 + (i * 1000) / rate;
    const wait = due - performance.now();
    if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
    const { thread, body } = activity(i % memberCount);
    const sent = performance.now();
    const replied = new Promise<void>((resolve) => replyWaiters.set(thread, resolve));
    pending.push(
      post(body).then(async () => {
        answers.push(performance.now() - sent);
        await Promise.race([replied, new Promise((resolve) => setTimeout(resolve, 30_000))]);
        const at = replyAt.get(thread);
        if (at !== undefined) roundTrips.push(at - sent);
        replyWaiters.delete(thread);
      }),
    );
  }
  await Promise.all(pending);
  const achievedRate = Math.round(total / ((performance.now() - t0) / 1000));
  answers.sort((a, b) => a - b);
  roundTrips.sort((a, b) => a - b);

  console.log(`bench/teams on ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, PostgreSQL`);
  console.log(JSON.stringify({ throughput: { activities: n, concurrency, perSecond } }));
  console.log(
    JSON.stringify({
      steady: {
        rate,
        achievedRate,
        activities: total,
        answerP50ms: ms(percentile(answers, 0.5)),
        answerP99ms: ms(percentile(answers, 0.99)),
        replies: roundTrips.length,
        requestToReplyP50ms: ms(percentile(roundTrips, 0.5)),
        requestToReplyP99ms: ms(percentile(roundTrips, 0.99)),
      },
    }),
  );

  await app.close();
  await teams.stop();
  await core.drain();
  agent.destroy();
} finally {
  await database.close();
  await admin.unsafe(`drop database if exists ${name} with (force)`);
  await admin.end();
  connector.close();
}
