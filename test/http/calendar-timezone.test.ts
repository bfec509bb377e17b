import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newGroup } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, runAt, seedCommunity, type Harness } from '../helpers/harness.js';
import { expectProblem } from './support.js';

// Each test has its own harness: its clock starts on Monday 2 March 2026, 09:00 UTC (10:00 in
// Amsterdam, 04:00 in New York) and only moves forward. New York changes to summer time on
// Sunday 8 March (UTC−5 → UTC−4), Amsterdam on Sunday 29 March (UTC+1 → UTC+2).
let h: Harness;
beforeEach(async () => {
  h = await createHarness();
});
afterEach(() => h.close());

interface Item {
  id: string;
  at: string | null;
  nextRunAt: string | null;
  upcoming: string[];
  timezone: string;
}

async function community() {
  const { community: c, address } = await seedCommunity(h, {}, newGroup());
  return { id: c.id, address };
}
const plan = async (communityId: string, payload: Record<string, unknown>) => {
  const res = await h.api({ method: 'POST', url: `/v1/communities/${communityId}/calendar`, payload });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as Item;
};
const item = async (id: string) => (await h.api({ method: 'GET', url: `/v1/calendar/${id}` })).json() as Item;
const setTimezone = (communityId: string, timezone: string) => h.api({ method: 'PATCH', url: `/v1/communities/${communityId}`, payload: { timezone } });
const at = (iso: string) => runAt(h, iso);

describe(`a community changing its timezone (${engine()})`, () => {
  it('moves a weekly Monday 09:00 item to 09:00 in the new timezone: listed and posted then', async () => {
    const c = await community();
    const weekly = await plan(c.id, { kind: 'announcement', text: 'Goedemorgen! Wat speelt er deze week?', cron: '0 9 * * 1' });
    expect(weekly.upcoming[0]).toBe('2026-03-09T08:00:00.000Z'); // 09:00 in Amsterdam

    const res = await setTimezone(c.id, 'America/New_York');
    expect(res.statusCode, res.body).toBe(200);
    // 09:00 in New York, summer time from 8 March: 13:00 UTC.
    const moved = await item(weekly.id);
    expect(moved).toMatchObject({ timezone: 'America/New_York', nextRunAt: '2026-03-09T13:00:00.000Z' });
    expect(moved.upcoming).toEqual(['2026-03-09', '2026-03-16', '2026-03-23', '2026-03-30', '2026-04-06'].map((d) => `${d}T13:00:00.000Z`));
    const window = (await h.api({ method: 'GET', url: `/v1/communities/${c.id}/calendar?from=2026-03-02T00:00:00Z&to=2026-03-17T00:00:00Z` })).json() as { items: { at: string; id: string }[] };
    expect(window.items.map((e) => [e.at, e.id])).toEqual([
      ['2026-03-09T13:00:00.000Z', weekly.id],
      ['2026-03-16T13:00:00.000Z', weekly.id],
    ]);

    const posted = () => h.whatsapp.textsTo(c.address).length;
    await at('2026-03-09T08:00:00Z'); // 09:00 in Amsterdam: no longer
    expect(posted()).toBe(0);
    await at('2026-03-09T12:59:00Z');
    expect(posted()).toBe(0);
    await at('2026-03-09T13:00:00Z');
    expect(h.whatsapp.textsTo(c.address)).toEqual(['📣 Goedemorgen! Wat speelt er deze week?']);
    expect(await item(weekly.id)).toMatchObject({ nextRunAt: '2026-03-16T13:00:00.000Z' });
  });

  it('keeps the instant of a one-off item', async () => {
    const c = await community();
    const once = await plan(c.id, { kind: 'announcement', text: 'Webinar vanavond', at: '2026-03-05T10:00:00Z' });
    expect((await setTimezone(c.id, 'America/New_York')).statusCode).toBe(200);
    expect(await item(once.id)).toMatchObject({ at: '2026-03-05T10:00:00.000Z', nextRunAt: '2026-03-05T10:00:00.000Z', upcoming: ['2026-03-05T10:00:00.000Z'] });
    await at('2026-03-05T09:59:00Z');
    expect(h.whatsapp.textsTo(c.address)).toEqual([]);
    await at('2026-03-05T10:00:00Z');
    expect(h.whatsapp.textsTo(c.address)).toEqual(['📣 Webinar vanavond']);
  });

  it('moving west after a daily run: no second post that day at the new hour', async () => {
    const c = await community();
    const daily = await plan(c.id, { kind: 'announcement', text: 'Vraag van de dag', cron: '0 9 * * *' });
    await at('2026-03-03T08:00:00Z'); // Tuesday 09:00 in Amsterdam
    expect(h.whatsapp.textsTo(c.address)).toHaveLength(1);

    await at('2026-03-03T10:00:00Z');
    expect((await setTimezone(c.id, 'America/New_York')).statusCode).toBe(200);
    // Tuesday 09:00 in New York (14:00 UTC) is the run already done; next is Wednesday's.
    expect(await item(daily.id)).toMatchObject({ nextRunAt: '2026-03-04T14:00:00.000Z' });
    await at('2026-03-03T14:00:00Z');
    expect(h.whatsapp.textsTo(c.address)).toHaveLength(1);
    await at('2026-03-04T14:00:00Z');
    expect(h.whatsapp.textsTo(c.address)).toHaveLength(2);
  });

  it('posts a run that was due, not yet sent, once at 09:00 in the new timezone', async () => {
    const c = await community();
    const weekly = await plan(c.id, { kind: 'announcement', text: 'Weekstart', cron: '0 9 * * 1' });
    // The 09:00 Amsterdam run fell due while no scheduler ran.
    h.clock.advance(new Date('2026-03-09T08:30:00Z').getTime() - h.clock.now().getTime());
    expect((await setTimezone(c.id, 'America/New_York')).statusCode).toBe(200);
    expect(await item(weekly.id)).toMatchObject({ nextRunAt: '2026-03-09T13:00:00.000Z' });
    await at('2026-03-09T08:30:00Z');
    expect(h.whatsapp.textsTo(c.address)).toEqual([]);
    await at('2026-03-09T13:00:00Z');
    await at('2026-03-09T23:00:00Z');
    expect(h.whatsapp.textsTo(c.address)).toEqual(['📣 Weekstart']);
    expect(await item(weekly.id)).toMatchObject({ nextRunAt: '2026-03-16T13:00:00.000Z' });
  });

  it('moving east: a run that was due goes out once now; one not due yet waits for next week', async () => {
    const { community: c, address } = await seedCommunity(h, { timezone: 'America/New_York' }, newGroup());
    h.clock.advance(new Date('2026-03-09T12:00:00Z').getTime() - h.clock.now().getTime());
    const due = await plan(c.id, { kind: 'announcement', text: 'Weekstart', cron: '0 9 * * 1' });
    const later = await plan(c.id, { kind: 'announcement', text: 'Weekafsluiting', cron: '0 17 * * 1' });
    // Monday 9 March, 13:30 UTC: 09:30 in New York (the 09:00 run is due), 14:30 in Amsterdam.
    h.clock.advance(new Date('2026-03-09T13:30:00Z').getTime() - h.clock.now().getTime());
    expect((await setTimezone(c.id, 'Europe/Amsterdam')).statusCode).toBe(200);
    // Monday 09:00 in Amsterdam has passed: due, it runs once. Monday 17:00 there is still to come.
    expect(await item(due.id)).toMatchObject({ nextRunAt: '2026-03-09T08:00:00.000Z' });
    expect(await item(later.id)).toMatchObject({ nextRunAt: '2026-03-09T16:00:00.000Z' });
    await at('2026-03-09T13:30:00Z');
    await at('2026-03-09T21:00:00Z'); // 17:00 in New York: nothing more
    expect(h.whatsapp.textsTo(address)).toEqual(['📣 Weekstart', '📣 Weekafsluiting']);
    expect(await item(due.id)).toMatchObject({ nextRunAt: '2026-03-16T08:00:00.000Z' });
  });

  it('moving east: a run not due yet whose hour has passed in the new timezone waits for its next time', async () => {
    const { community: c, address } = await seedCommunity(h, { timezone: 'America/New_York' }, newGroup());
    h.clock.advance(new Date('2026-03-09T09:00:00Z').getTime() - h.clock.now().getTime());
    const weekly = await plan(c.id, { kind: 'announcement', text: 'Weekstart', cron: '0 9 * * 1' });
    expect(weekly.nextRunAt).toBe('2026-03-09T13:00:00.000Z');
    // Monday 9 March, 10:00 UTC: 06:00 in New York, 11:00 in Amsterdam.
    h.clock.advance(new Date('2026-03-09T10:00:00Z').getTime() - h.clock.now().getTime());
    expect((await setTimezone(c.id, 'Europe/Amsterdam')).statusCode).toBe(200);
    expect(await item(weekly.id)).toMatchObject({ nextRunAt: '2026-03-16T08:00:00.000Z' });
    await at('2026-03-09T13:00:00Z');
    expect(h.whatsapp.textsTo(address)).toEqual([]);
  });

  it('refuses an unknown timezone with a 400 and re-plans nothing', async () => {
    const c = await community();
    const weekly = await plan(c.id, { kind: 'announcement', text: 'Weekstart', cron: '0 9 * * 1' });
    expect(expectProblem(await setTimezone(c.id, 'Mars/Olympus_Mons'), 400, 'invalid').detail).toContain('Unknown timezone');
    expect(await item(weekly.id)).toMatchObject({ timezone: 'Europe/Amsterdam', nextRunAt: '2026-03-09T08:00:00.000Z' });
  });
});
