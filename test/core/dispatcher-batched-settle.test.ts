import pino from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChannelPort, OutboundMessage } from '../../src/core/channel.js';
import { createDispatcher } from '../../src/core/outbox/dispatcher.js';
import type { Db } from '../../src/db/client.js';
import { outbox } from '../../src/db/schema/index.js';
import { outboxTo, queueTexts } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, type Harness } from '../helpers/harness.js';

const GROUPS = Array.from({ length: 6 }, (_, i) => `whatsapp:12036300000000010${i}@g.us`);
const MINUTE = 60_000;
const logger = pino({ level: 'silent' });

describe(`delivered outcomes written together (${engine()})`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.database.db.delete(outbox);
  });

  /**
   * The harness's database, counting the raw statements (the grouped delivery write) run on it:
   * through execute(), or prepared once (src/db/statement.ts, through the session).
   */
  function countingDb() {
    let executes = 0;
    const session = new Proxy(h.database.db._.session, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop !== 'prepareQuery' || typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          executes++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    });
    const db = new Proxy(h.database.db, {
      get(target, prop) {
        const value = Reflect.get(target, prop, target) as unknown;
        if (prop === '_') return { ...(value as object), session };
        if (typeof value !== 'function') return value;
        return (...args: unknown[]) => {
          if (prop === 'execute') executes++;
          return (value as (...a: unknown[]) => unknown).apply(target, args);
        };
      },
    }) as Db;
    return { db, executes: () => executes };
  }

  /** A WhatsApp port that answers with an external id of its own; holdNext() keeps sends open. */
  function port(prefix: string) {
    const sent: OutboundMessage[] = [];
    const held: (() => void)[] = [];
    let hold = 0;
    const p: ChannelPort = {
      channel: 'whatsapp',
      capabilities: h.whatsapp.port.capabilities,
      async send(message) {
        sent.push(message);
        if (hold > 0) {
          hold--;
          await new Promise<void>((resolve) => held.push(resolve));
        }
        return { externalId: `${prefix}-${message.text}` };
      },
    };
    return {
      port: p,
      sent,
      holdNext(n = 1) {
        hold += n;
      },
      release() {
        for (const resolve of held.splice(0)) resolve();
      },
    };
  }

  it("writes a round's deliveries with one statement, each with its own external id, in order per conversation", async () => {
    for (const [i, group] of GROUPS.entries()) await queueTexts(h, group, [`${i}.1`, `${i}.2`]);
    const { db, executes } = countingDb();
    const first = port('ext');
    const dispatcher = createDispatcher(db, new Map([['whatsapp', first.port]]), h.clock.now, logger);

    expect(await dispatcher.runOnce()).toBe(12);
    expect(executes()).toBe(1);
    for (const [i, group] of GROUPS.entries()) {
      expect(first.sent.filter((m) => m.address === group).map((m) => m.text)).toEqual([`${i}.1`, `${i}.2`]);
      const rows = await outboxTo(h, group);
      expect(rows.map((r) => [r.status, r.externalId, r.attempts, r.leaseUntil, r.lastError])).toEqual([
        ['delivered', `ext-${i}.1`, 1, null, null],
        ['delivered', `ext-${i}.2`, 1, null, null],
      ]);
      for (const row of rows) expect(row.deliveredAt).toEqual(h.clock.now());
    }
    expect(await dispatcher.runOnce()).toBe(0);
  });

  it('leaves a row alone that another dispatcher claimed after our lease ran out, and writes the rest of the group', async () => {
    const [taken, kept] = GROUPS as [string, string];
    await queueTexts(h, taken, ['overgenomen']);
    await queueTexts(h, kept, ['gebleven']);
    const { db, executes } = countingDb();
    const stale = port('stale');
    const ours = createDispatcher(db, new Map([['whatsapp', stale.port]]), h.clock.now, logger);
    stale.holdNext(2);
    const round = ours.runOnce();
    await vi.waitFor(() => expect(stale.sent).toHaveLength(2));

    // Our sends stall past the lease; another dispatcher claims the first row (one per round)
    // and is still sending it when ours return.
    h.clock.advance(MINUTE + 1);
    const fresh = port('fresh');
    const other = createDispatcher(h.database.db, new Map([['whatsapp', fresh.port]]), h.clock.now, logger, { batchSize: 1 });
    fresh.holdNext();
    const otherRound = other.runOnce();
    await vi.waitFor(() => expect(fresh.sent.map((m) => m.text)).toEqual(['overgenomen']));

    // Both stalled sends return at once: their outcomes go in one statement, fenced per row.
    stale.release();
    expect(await round).toBe(2);
    expect(executes()).toBe(1);
    expect((await outboxTo(h, taken)).map((r) => [r.status, r.attempts, r.externalId])).toEqual([['sending', 2, null]]);
    expect((await outboxTo(h, kept)).map((r) => [r.status, r.attempts, r.externalId])).toEqual([['delivered', 1, 'stale-gebleven']]);

    fresh.release();
    expect(await otherRound).toBe(1);
    expect((await outboxTo(h, taken)).map((r) => [r.status, r.attempts, r.externalId])).toEqual([['delivered', 2, 'fresh-overgenomen']]);
    expect((await outboxTo(h, kept)).map((r) => [r.status, r.attempts, r.externalId])).toEqual([['delivered', 1, 'stale-gebleven']]);
  });
});
