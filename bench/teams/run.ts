/**
 * bench/teams: Teams message activities over loopback HTTP to POST /api/messages (local mode,
 * botbuilder's authentication, the real Teams adapter), the core on PostgreSQL, and the replies
 * posted by the dispatcher to a fake Bot Connector on 127.0.0.1. Prints:
 *   1. activities/s with --concurrency requests in flight (closed loop);
 *   2. at --rate activities/s (open loop, --seconds long): p50/p99 time to the HTTP answer, and
 *      p50/p99 from sending the request to the reply arriving at the connector.
 *
 *   npm run bench:teams -- [--n 10000] [--concurrency 64] [--rate 200] [--seconds 15]
 *                          [--channels 1000] [--members 1000] [--warmup 3000] [--profile burst.cpuprofile]
 *
 * The load and the fake connector run in a worker thread (load.mjs), as Teams would on another
 * machine. Every activity is a `help` @mention starting a thread in a linked channel, so each
 * reply is told apart by its thread; member m always writes in channel m mod --channels.
 * Microsoft's per-app limit (~50 posts/s) would cap the replies far below 200/s, so the bench
 * raises it: it measures our overhead, not Teams'. The per-conversation limits (7 a second, 60
 * per 30 s) stay: 1,000 channels keep the default burst within them (10 replies a channel), so
 * the replies keep pace with the activities instead of waiting for Microsoft's windows.
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a database of
 * its own is created and dropped.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import { parseArgs } from 'node:util';
import { Worker } from 'node:worker_threads';
import { Session } from 'node:inspector/promises';
import pino from 'pino';
import { createTeamsAdapter, loadTeamsConfig } from '../../adapters/teams/index.js';
import { createCore } from '../../src/core/index.js';
import { withDatabase } from '../database.js';
import { communities, spaces } from '../../src/db/schema/index.js';
import type { Database } from '../../src/db/client.js';
import { sql } from 'drizzle-orm';
import { buildApp } from '../../src/http/app.js';
import { createLogger } from '../../src/logger.js';
import type { Config } from '../../src/config.js';

const { values } = parseArgs({
  options: {
    n: { type: 'string', default: '10000' },
    concurrency: { type: 'string', default: '64' },
    rate: { type: 'string', default: '200' },
    seconds: { type: 'string', default: '15' },
    channels: { type: 'string', default: '1000' },
    members: { type: 'string', default: '1000' },
    warmup: { type: 'string', default: '3000' },
    profile: { type: 'string' },
  },
});
const channelCount = Number(values.channels);
/** utime + stime of a process or thread from Linux /proc, in milliseconds (100 ticks a second). */
const ticksMs = (path: string) => {
  const fields = readFileSync(path, 'utf8').split(') ')[1]!.split(' ');
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
};

interface Cpu {
  /** The whole Node process. */
  node: number;
  /** Its main thread: the server. */
  server: number;
  /** The load generator's and fake connector's thread (Teams' side). */
  load: number;
  /** The PostgreSQL backends serving our database. */
  postgres: number;
}

/** CPU milliseconds used so far (Linux /proc); the rest of `node` is V8's helper threads (mostly garbage collection). */
async function cpuNow(db: Database['db'], loadThread: string): Promise<Cpu> {
  const usage = process.cpuUsage();
  const server = ticksMs(`/proc/self/task/${process.pid}/stat`);
  const load = ticksMs(`/proc/self/task/${loadThread}/stat`);
  const backends = (await db.execute(sql`select pid from pg_stat_activity where datname = current_database()`)) as unknown as { pid: number }[];
  let postgres = 0;
  for (const { pid } of backends) {
    try {
      postgres += ticksMs(`/proc/${pid}/stat`);
    } catch {
      // A backend that ended meanwhile, or PostgreSQL on another machine: not counted.
    }
  }
  return { node: (usage.user + usage.system) / 1000, server, load, postgres };
}

await withDatabase('postgres', async (database) => {
  await database.migrate();
  // The server's own logger at its default level, as `npm start` runs it, writing to /dev/null
  // (the terminal would be slower, and a log shipper's pipe is not ours to measure).
  const logger = createLogger({ logLevel: (process.env.LOG_LEVEL ?? 'info') as Config['logLevel'] }, false, pino.destination(process.env.BENCH_LOG ?? '/dev/null'));
  const core = createCore({ db: database.db, logger });
  const teams = createTeamsAdapter({ config: { ...loadTeamsConfig({}), appRatePerSecond: 100_000 }, core, logger });
  core.registerChannel(teams.port);
  const app = await buildApp({ config: { publicUrl: 'http://localhost', rateLimitPerMinute: 0 }, core, database, logger, adapters: [teams] });
  await app.listen({ port: 0, host: '127.0.0.1' });
  core.dispatcher.start();
  await teams.start();

  const [community] = await database.db.insert(communities).values({ name: 'Bench', slug: 'bench', language: 'en' }).returning();
  await database.db
    .insert(spaces)
    .values(Array.from({ length: channelCount }, (_, i) => ({ communityId: community!.id, channel: 'teams' as const, externalId: `19:bench${i}@thread.tacv2`, name: `Kanaal ${i}` })));

  const worker = new Worker(new URL('./load.mjs', import.meta.url), {
    workerData: {
      endpoint: `http://127.0.0.1:${(app.server.address() as AddressInfo).port}/api/messages`,
      n: Number(values.n),
      concurrency: Number(values.concurrency),
      rate: Number(values.rate),
      seconds: Number(values.seconds),
      channels: channelCount,
      members: Number(values.members),
      warmup: Number(values.warmup),
    },
  });
  // --profile FILE: a CPU profile of the server thread from the start of the burst to its last reply.
  const inspector = new Session();
  async function profile(mark: string): Promise<void> {
    if (mark === 'burst') {
      inspector.connect();
      await inspector.post('Profiler.enable');
      await inspector.post('Profiler.start');
    } else if (mark === 'replied') {
      const { profile: taken } = await inspector.post('Profiler.stop');
      writeFileSync(values.profile!, JSON.stringify(taken));
    }
  }
  // CPU time of this process (server, and the load in its worker thread) and of the database's
  // server processes, from the start of the burst until its last reply arrived.
  const marks = new Map<string, Cpu>();
  let loadThread = '';
  const result = await new Promise<Record<string, unknown>>((resolve, reject) => {
    worker.on('message', (message: { mark?: string; thread?: string } & Record<string, unknown>) => {
      if (!message.mark) return resolve(message);
      loadThread = message.thread ?? loadThread;
      void cpuNow(database.db, loadThread).then((cpu) => marks.set(message.mark!, cpu));
      if (values.profile) void profile(message.mark);
    });
    worker.once('error', reject);
  });
  const [from, to] = [marks.get('burst'), marks.get('replied')];
  if (from && to) {
    const n = Number(values.n);
    const per = (key: keyof Cpu) => +((to[key] - from[key]) / n).toFixed(3);
    (result.throughput as Record<string, unknown>).cpuMsPerActivity = {
      node: per('node'),
      server: per('server'),
      v8Helpers: +(per('node') - per('server') - per('load')).toFixed(3),
      load: per('load'),
      postgres: per('postgres'),
    };
  }
  await worker.terminate();

  console.log(`bench/teams on ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}, PostgreSQL`);
  for (const [key, value] of Object.entries(result)) console.log(JSON.stringify({ [key]: value }));
  // Claim statements, and replies sent without one (handed off by the inbound path), over the whole run.
  console.log(JSON.stringify({ dispatcher: core.dispatcher.stats() }));

  await app.close();
  await teams.stop();
  await core.drain();
});
