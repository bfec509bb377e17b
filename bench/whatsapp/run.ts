/**
 * bench/whatsapp: the WhatsApp adapter's pacing under load, on a fake whatsapp-web.js client and
 * a fake clock. N group messages across G groups are queued in the outbox and sent through the
 * real dispatcher and adapter; half-way the process "crashes" (the client stops answering, the
 * core is dropped without a stop) and a new core and adapter take over on the same database.
 * Reports pacing violations (two sends closer than the pace, or two in one chat closer than the
 * chat interval), losses (messages never sent), duplicates, and the makespan against the pace.
 *
 *   npm run bench:whatsapp -- [--engine pglite|postgres] [--n 1000] [--groups 50] [--crash-at 500]
 *                             [--pace 1000] [--jitter 500] [--chat-interval 3000]
 *
 * PostgreSQL: BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test); a database of
 * its own is created and dropped. PGlite runs in memory.
 */
import { parseArgs } from 'node:util';
import { and, eq, inArray } from 'drizzle-orm';
import pino from 'pino';
import { createWhatsAppAdapter, type WhatsAppAdapter } from '../../adapters/whatsapp/index.js';
import { createCore } from '../../src/core/index.js';
import { enqueue } from '../../src/core/outbox/outbox.service.js';
import { withDatabase } from '../database.js';
import { outbox } from '../../src/db/schema/index.js';
import { fakeClock } from '../../test/helpers/harness.js';
import { FakeWhatsAppClient } from '../../test/whatsapp/fake-client.js';
import { virtualTimers } from '../../test/whatsapp/virtual-timers.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'pglite' },
    n: { type: 'string', default: '1000' },
    groups: { type: 'string', default: '50' },
    'crash-at': { type: 'string', default: '500' },
    pace: { type: 'string', default: '1000' },
    jitter: { type: 'string', default: '500' },
    'chat-interval': { type: 'string', default: '3000' },
  },
});
const n = Number(values.n);
const groupCount = Number(values.groups);
const crashAt = Number(values['crash-at']);
const config = {
  enabled: true,
  chromiumPath: null,
  paceMs: Number(values.pace),
  jitterMs: Number(values.jitter),
  chatIntervalMs: Number(values['chat-interval']),
  coldDmDailyCap: 50,
  readyTimeoutMs: 120_000,
  recycleMemoryMb: 0,
  recycleHours: 0,
  inboundRetryMax: 1_000,
  inboundRetryMinutes: 60,
};
const logger = pino({ level: process.env.BENCH_LOG_LEVEL ?? 'silent' });

/** A seeded random source, so two runs schedule the same jitter. */
function mulberry32(seed: number) {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Send {
  chatId: string;
  text: string;
  at: number;
}

async function run(engine: string) {
  return withDatabase(engine, async (database) => {
    await database.migrate();
    const clock = fakeClock();
    const random = mulberry32(42);
    const sends: Send[] = [];

    /** One server process: a core, its dispatcher and the WhatsApp adapter on a fake client. */
    async function boot() {
      const vt = virtualTimers(clock);
      const core = createCore({ db: database.db, logger, clock: clock.now });
      let crashed = false;
      const client = new FakeWhatsAppClient(vt.now);
      const send = client.sendMessage.bind(client);
      client.sendMessage = async (chatId, content, options) => {
        // After the crash this process is gone: its sends never reach WhatsApp nor return.
        if (crashed) return new Promise<never>(() => {});
        const sent = await send(chatId, content, options);
        sends.push({ chatId, text: String(content), at: vt.now() });
        return sent;
      };
      const adapter: WhatsAppAdapter = createWhatsAppAdapter({
        config,
        dataDir: '/nonexistent',
        core,
        logger,
        createClient: () => client,
        clock: vt.now,
        timers: vt.timers,
        random,
        terminal: null,
      });
      core.registerChannel(adapter.port);
      await adapter.start();
      while (adapter.port.status().state !== 'ready') await vt.settle(1);
      return {
        vt,
        core,
        crash: () => {
          crashed = true;
        },
      };
    }

    /** Sends due rows, moving the fake time to the next due row or expired lease, until `stop()` says so. */
    async function dispatch(instance: Awaited<ReturnType<typeof boot>>, stop: () => boolean) {
      while (!stop()) {
        const round = instance.core.dispatcher.runOnce();
        let settled = false;
        void round.finally(() => (settled = true)).catch(() => {});
        // A crash does not wait for the round in flight to finish.
        await Promise.race([instance.vt.drive(round), (async () => { while (!settled && !stop()) await instance.vt.settle(1); })()]);
        if (stop()) return;
        const rows = await database.db
          .select({ status: outbox.status, availableAt: outbox.availableAt, leaseUntil: outbox.leaseUntil })
          .from(outbox)
          .where(and(eq(outbox.channel, 'whatsapp'), inArray(outbox.status, ['pending', 'sending'])));
        if (rows.length === 0) return;
        const now = clock.now().getTime();
        const times = rows
          .map((r) => (r.status === 'pending' ? r.availableAt.getTime() : (r.leaseUntil?.getTime() ?? 0) + 1))
          .filter((t) => t > now);
        if (times.length) await instance.vt.advance(Math.min(...times) - now);
      }
    }

    const groups = Array.from({ length: groupCount }, (_, g) => `1203630${String(g).padStart(11, '0')}@g.us`);
    const messages = Array.from({ length: n }, (_, i) => ({ chatId: groups[i % groupCount]!, text: `message ${i + 1}` }));
    await database.db.transaction((tx) =>
      enqueue(
        tx,
        messages.map((m, i) => ({
          communityId: null,
          channel: 'whatsapp' as const,
          address: `whatsapp:${m.chatId}`,
          spaceId: null,
          memberId: null,
          payload: { text: m.text },
          idempotencyKey: `bench:${i}`,
          availableAt: clock.now(),
        })),
      ),
    );

    const wall = performance.now();
    const first = await boot();
    await dispatch(first, () => sends.length >= crashAt);
    first.crash();
    const crashedAt = clock.now().getTime();
    const second = await boot();
    await dispatch(second, () => false);
    const wallMs = performance.now() - wall;

    // Checks.
    const sentTexts = new Map<string, number>();
    for (const s of sends) sentTexts.set(s.text, (sentTexts.get(s.text) ?? 0) + 1);
    const lost = messages.filter((m) => !sentTexts.has(m.text)).length;
    const duplicates = [...sentTexts.values()].filter((c) => c > 1).length;
    let paceViolations = 0;
    let chatViolations = 0;
    let orderViolations = 0;
    const lastInChat = new Map<string, Send>();
    let minGap = Infinity;
    for (const [i, s] of sends.entries()) {
      if (i > 0) {
        const gap = s.at - sends[i - 1]!.at;
        minGap = Math.min(minGap, gap);
        if (gap < config.paceMs) paceViolations++;
      }
      const before = lastInChat.get(s.chatId);
      if (before) {
        if (s.at - before.at < config.chatIntervalMs) chatViolations++;
        if (Number(s.text.split(' ')[1]) < Number(before.text.split(' ')[1])) orderViolations++;
      }
      lastInChat.set(s.chatId, s);
    }
    const statuses = await database.db.select({ status: outbox.status }).from(outbox);
    const delivered = statuses.filter((r) => r.status === 'delivered').length;
    const makespan = sends.at(-1)!.at - sends[0]!.at;
    const ideal = (n - 1) * (config.paceMs + config.jitterMs / 2);
    const beforeCrash = sends.filter((s) => s.at <= crashedAt);
    const afterCrash = sends.filter((s) => s.at > crashedAt);
    const downtime = afterCrash.length ? afterCrash[0]!.at - beforeCrash.at(-1)!.at : 0;
    return {
      engine,
      messages: n,
      groups: groupCount,
      sent: sends.length,
      delivered,
      lost,
      duplicates,
      paceViolations,
      chatViolations,
      orderViolations,
      minGapMs: minGap,
      makespanS: +(makespan / 1000).toFixed(1),
      idealS: +(ideal / 1000).toFixed(1),
      crashGapS: +(downtime / 1000).toFixed(1),
      makespanWithoutCrashVsIdeal: +((makespan - downtime) / ideal).toFixed(3),
      wallS: +(wallMs / 1000).toFixed(1),
    };
  });
}

const engines = values.engine === 'both' ? ['pglite', 'postgres'] : [values.engine!];
console.log(
  `bench/whatsapp: ${n} messages to ${groupCount} groups, pace ${config.paceMs} ms + jitter ≤ ${config.jitterMs} ms, ` +
    `≥ ${config.chatIntervalMs} ms per chat, crash after ${crashAt} sends`,
);
let failed = false;
for (const engine of engines) {
  const result = await run(engine);
  console.log(JSON.stringify(result));
  if (result.lost || result.paceViolations || result.chatViolations || result.orderViolations) failed = true;
}
process.exitCode = failed ? 1 : 0;
