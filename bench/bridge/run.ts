/**
 * bench/bridge: ordinary messages at a steady rate into four bridged spaces (two WhatsApp groups,
 * two Teams channels) of one community; each is relayed to the other three through the outbox and
 * the dispatcher. Measures, per copy, the time from the message's commit (core.receive resolved)
 * to the adapter's send call, and checks that every message reached every other space exactly once.
 *
 *   npm run bench:bridge -- [--engine postgres|pglite] [--rate 50] [--seconds 20] [--members 50]
 *
 * The adapters are stand-ins that record the send call and answer at once: what is measured is the
 * core (listener, outbox, dispatcher), not WhatsApp's pacing or Teams' HTTP. PostgreSQL:
 * BENCH_DATABASE_URL (default postgres://postgres@127.0.0.1:5432/test), a database of its own.
 */
import os from 'node:os';
import { parseArgs } from 'node:util';
import pino from 'pino';
import type { ChannelName, ChannelPort, OutboundMessage } from '../../src/core/channel.js';
import { createCore } from '../../src/core/index.js';
import { bridges, communities, spaces } from '../../src/db/schema/index.js';
import { withDatabase } from '../database.js';

const { values } = parseArgs({
  options: {
    engine: { type: 'string', default: 'postgres' },
    rate: { type: 'string', default: '50' },
    seconds: { type: 'string', default: '20' },
    members: { type: 'string', default: '50' },
  },
});
const rate = Number(values.rate);
const total = rate * Number(values.seconds);
const memberCount = Number(values.members);

const SPACES: { channel: ChannelName; externalId: string }[] = [
  { channel: 'whatsapp', externalId: '120363000000000101@g.us' },
  { channel: 'whatsapp', externalId: '120363000000000102@g.us' },
  { channel: 'teams', externalId: '19:bench-a@thread.tacv2' },
  { channel: 'teams', externalId: '19:bench-b@thread.tacv2' },
];

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(sorted.length * p))]!;

async function run(engine: string) {
  return withDatabase(engine, async (database) => {
    await database.migrate();
    const core = createCore({ db: database.db, logger: pino({ level: 'silent' }), dispatcher: { pollMs: 200 } });
    const [community] = await database.db.insert(communities).values({ name: 'Bench', slug: 'bench', language: 'en' }).returning();
    await database.db.insert(spaces).values(SPACES.map((s, i) => ({ communityId: community!.id, ...s, name: `Space ${i + 1}` })));
    await database.db.insert(bridges).values({ communityId: community!.id, enabled: true });

    /** Per message number: when it was committed, and when each copy's send was called, by address. */
    const committed = new Map<number, number>();
    const sends = new Map<number, Map<string, number>>();
    let duplicates = 0;
    let counter = 0;
    const port = (channel: ChannelName): ChannelPort => ({
      channel,
      capabilities: { maxTextLength: 28_000, cards: false, nativePolls: false },
      async send(message: OutboundMessage) {
        const at = performance.now();
        const match = /bench (\d+)$/.exec(message.text);
        if (match) {
          const n = Number(match[1]);
          const seen = sends.get(n) ?? new Map<string, number>();
          if (seen.has(message.address)) duplicates++;
          seen.set(message.address, at);
          sends.set(n, seen);
        }
        return { externalId: `${channel}-${++counter}` };
      },
    });
    core.registerChannel(port('whatsapp'));
    core.registerChannel(port('teams'));
    core.dispatcher.start();

    let seq = 0;
    const message = (i: number, text: string) => {
      const space = SPACES[i % SPACES.length]!;
      const member = i % memberCount;
      return {
        channel: space.channel,
        externalMessageId: `bench-${++seq}`,
        space: { externalId: space.externalId, direct: false },
        sender: { externalId: `${space.channel}-member-${member}`, displayName: `Member ${member}` },
        text,
      };
    };
    // Warm-up: every member's first message in every space (creating members is not the steady state).
    for (let i = 0; i < memberCount * SPACES.length; i++) await core.receive(message(i, `hello ${i}`));
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    sends.clear();

    const started = performance.now();
    const inFlight: Promise<void>[] = [];
    for (let i = 0; i < total; i++) {
      const due = started + (i * 1000) / rate;
      const wait = due - performance.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      inFlight.push(
        core.receive(message(i, `bench ${i}`)).then((result) => {
          if (result.command !== 'bridged') throw new Error(`message ${i} not bridged: ${JSON.stringify(result)}`);
          committed.set(i, performance.now());
        }),
      );
    }
    await Promise.all(inFlight);
    const deadline = performance.now() + 30_000;
    const complete = () => [...committed.keys()].every((i) => (sends.get(i)?.size ?? 0) >= SPACES.length - 1);
    while (!complete() && performance.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    const seconds = (performance.now() - started) / 1000;
    await core.drain();

    const latencies: number[] = [];
    let lost = 0;
    for (const [i, at] of committed) {
      const copies = sends.get(i) ?? new Map();
      lost += SPACES.length - 1 - copies.size;
      for (const sentAt of copies.values()) latencies.push(Math.max(0, sentAt - at));
    }
    latencies.sort((a, b) => a - b);
    return {
      engine,
      messages: total,
      copies: latencies.length,
      lost,
      duplicates,
      seconds: Number(seconds.toFixed(1)),
      p50: Number(percentile(latencies, 0.5).toFixed(1)),
      p95: Number(percentile(latencies, 0.95).toFixed(1)),
      p99: Number(percentile(latencies, 0.99).toFixed(1)),
      max: Number(latencies.at(-1)!.toFixed(1)),
    };
  });
}

const result = await run(values.engine!);
const [load1] = os.loadavg();
console.log(JSON.stringify({ ...result, rate, cpus: os.cpus().length, load1: Number(load1!.toFixed(1)) }));
if (result.lost > 0 || result.duplicates > 0) process.exitCode = 1;
