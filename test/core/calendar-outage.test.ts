import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../src/core/access.js';
import { createCore, type Core } from '../../src/core/index.js';
import { outbox } from '../../src/db/schema/index.js';
import { newGroup } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, seedCommunity, type Harness } from '../helpers/harness.js';
import { createTestAdapter, type TestAdapter } from '../helpers/test-adapter.js';

const HOUR = 3_600_000;
const logger = pino({ level: 'silent' });

/** A server instance: a core of its own on the shared database, with its own adapters. */
interface Server {
  core: Core;
  whatsapp: TestAdapter;
  teams: TestAdapter;
}

describe(`the calendar after an outage (${engine()})`, () => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness();
  });
  afterAll(() => h.close());

  function server(): Server {
    const core = createCore({ db: h.database.db, logger, clock: h.clock.now });
    const whatsapp = createTestAdapter('whatsapp');
    const teams = createTestAdapter('teams');
    core.registerChannel(whatsapp.port);
    core.registerChannel(teams.port);
    return { core, whatsapp, teams };
  }

  const pending = async () => (await h.database.db.select({ status: outbox.status }).from(outbox)).filter((r) => r.status !== 'delivered').length;

  it('sends what fell due while no server ran exactly once, with two schedulers and two dispatchers side by side', async () => {
    // Monday 2 March 2026, 09:00 UTC (10:00 in Amsterdam).
    const start = h.clock.now().getTime();
    const seeded = await seedCommunity(h, { language: 'en' }, newGroup());
    const id = seeded.community.id;
    const teams = `19:${id}@thread.tacv2`;
    await h.api({ method: 'POST', url: `/v1/communities/${id}/spaces`, payload: { channel: 'teams', externalId: teams, name: 'General' } });
    const plan = async (payload: Record<string, unknown>) => {
      const res = await h.api({ method: 'POST', url: `/v1/communities/${id}/calendar`, payload });
      expect(res.statusCode, res.body).toBe(201);
      return res.json() as { id: string };
    };

    // Planned while the server ran: a daily 09:00 item, 55 one-off items and a scheduled announcement.
    const daily = await plan({ kind: 'announcement', text: 'Daily digest', cron: '0 9 * * *' });
    const texts = ['Daily digest', 'Scheduled announcement'];
    for (let i = 1; i <= 55; i++) {
      await h.core.calendar.create(ADMIN, id, { kind: 'announcement', text: `One-off ${i}`, at: new Date(start + i * HOUR) });
      texts.push(`One-off ${i}`);
    }
    const scheduled = await h.api({ method: 'POST', url: `/v1/communities/${id}/announcements`, payload: { text: 'Scheduled announcement', sendAt: new Date(start + 2 * HOUR).toISOString() } });
    expect(scheduled.statusCode).toBe(201);

    // The server goes down: nothing runs for three days and three hours. The daily item fell
    // due three times (3, 4 and 5 March at 08:00 UTC), every one-off item once.
    h.clock.advance(3 * 24 * HOUR + 3 * HOUR);

    // Two servers come back on the same database and run their scheduler at the same moment.
    const servers = [server(), server()];
    const claimed = [0, 0];
    for (let round = 0; round < 3; round++) {
      const done = await Promise.all(servers.map((s) => s.core.scheduler.runOnce()));
      done.forEach((n, i) => (claimed[i]! += n));
    }
    // 56 calendar items and one announcement, each claimed by one of them; each scheduler
    // claims at most 50 items a round, so both took part.
    expect(claimed[0]! + claimed[1]!).toBe(57);
    expect(claimed[0]).toBeGreaterThan(0);
    expect(claimed[1]).toBeGreaterThan(0);

    // Their dispatchers send side by side until everything is out.
    const drain = async (s: Server) => {
      for (let idle = 0; idle < 100 && (await pending()) > 0; ) if ((await s.core.dispatcher.runOnce()) === 0) idle++;
    };
    await Promise.all(servers.map(drain));
    expect(await pending()).toBe(0);

    const seen = (address: string) => servers.flatMap((s) => [...s.whatsapp.textsTo(address), ...s.teams.textsTo(address)]).sort();
    const expected = texts.map((text) => `📣 ${text}`).sort();
    expect(seen(seeded.address)).toEqual(expected);
    expect(seen(`teams:${teams}`)).toEqual(expected);

    // The daily item goes on from the next 09:00 after now, not from the runs it missed.
    const item = (await h.api({ method: 'GET', url: `/v1/calendar/${daily.id}` })).json() as Record<string, unknown>;
    expect(item).toMatchObject({ runs: 1, lastRunAt: h.clock.now().toISOString(), nextRunAt: '2026-03-06T08:00:00.000Z' });
    const sent = (await h.api({ method: 'GET', url: `/v1/communities/${id}/announcements?status=sent&limit=200` })).json() as { total: number; items: { text: string; sendAt: string }[] };
    expect(sent.total).toBe(57);
    // The run it stands for: the first one missed.
    expect(sent.items.find((a) => a.text === 'Daily digest')?.sendAt).toBe('2026-03-03T08:00:00.000Z');

    // Later rounds send nothing again.
    expect(await Promise.all(servers.map((s) => s.core.scheduler.runOnce()))).toEqual([0, 0]);
    expect(await Promise.all(servers.map((s) => s.core.dispatcher.runOnce()))).toEqual([0, 0]);
    await Promise.all(servers.map((s) => s.core.drain()));
    // Some 60 items and 114 sends: more than the default 20 s on a loaded two-core machine.
  }, 90_000);
});
