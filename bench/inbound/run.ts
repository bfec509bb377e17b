/**
 * bench/inbound: pushes N inbound `help` messages through the core (parse, transaction with the
 * inbound record and the outbox row) and prints messages/s and p50/p99 latency.
 *
 *   npm run bench:inbound -- [--engine postgres|pglite|both] [--n 20000] [--concurrency 64]
 *                            [--members 200] [--lanes 2] [--batch 64]
 *
 * --concurrency is how many messages are in flight at once (adapters deliver concurrently);
 * --lanes and --batch are the core's inbound options (transactions in flight, messages per one).
 *
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a database
 * of its own is created and dropped. PGlite runs in memory.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import { createCore } from '../../src/core/index.js';
import { withDatabase } from '../database.js';
import { communities, spaces } from '../../src/db/schema/index.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'both' },
    n: { type: 'string', default: '20000' },
    concurrency: { type: 'string', default: '64' },
    members: { type: 'string', default: '200' },
    lanes: { type: 'string', default: '2' },
    batch: { type: 'string', default: '64' },
  },
});
const n = Number(values.n);
const concurrency = Number(values.concurrency);
const memberCount = Number(values.members);

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function run(engine: string) {
  return withDatabase(engine, async (database) => {
    await database.migrate();
    const core = createCore({
      db: database.db,
      logger: pino({ level: 'silent' }),
      inbound: { lanes: Number(values.lanes), maxBatch: Number(values.batch) },
    });
    const [community] = await database.db
      .insert(communities)
      .values({ name: 'Bench', slug: 'bench', language: 'en' })
      .returning();
    await database.db
      .insert(spaces)
      .values({ communityId: community!.id, channel: 'whatsapp', externalId: 'bench@g.us', name: 'Bench' });

    let seq = 0;
    const message = (sender: number) => ({
      channel: 'whatsapp' as const,
      externalMessageId: `bench-${++seq}`,
      space: { externalId: 'bench@g.us', direct: false },
      sender: { externalId: `3160000${String(sender).padStart(4, '0')}@c.us`, displayName: `Member ${sender}` },
      text: '/help',
    });

    // Warm-up: every member's first contact (member creation is not the steady state).
    for (let i = 0; i < memberCount; i++) await core.receive(message(i));

    const latencies: number[] = [];
    let next = 0;
    const started = performance.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (next < n) {
          const i = next++;
          const t0 = performance.now();
          const result = await core.receive(message(i % memberCount));
          latencies.push(performance.now() - t0);
          if (result.status !== 'processed') throw new Error(`unexpected ${result.status}`);
        }
      }),
    );
    const seconds = (performance.now() - started) / 1000;
    latencies.sort((a, b) => a - b);
    return {
      engine,
      messages: n,
      concurrency,
      lanes: Number(values.lanes),
      perSecond: Math.round(n / seconds),
      p50ms: +percentile(latencies, 0.5).toFixed(2),
      p99ms: +percentile(latencies, 0.99).toFixed(2),
    };
  });
}

const engines = values.engine === 'both' ? ['postgres', 'pglite'] : [values.engine!];
console.log(`bench/inbound on ${os.cpus().length} × ${os.cpus()[0]?.model}, Node ${process.version}`);
for (const engine of engines) {
  const result = await run(engine);
  console.log(JSON.stringify(result));
}
