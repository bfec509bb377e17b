import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { engine } from '../helpers/database.js';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectProblem, expectValidation, managerToken, memberWhoWrites, seed } from './support.js';

// The harness clock stands at Monday 2 March 2026, 09:00 UTC (10:00 in Amsterdam); no test moves it.
let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

interface Item {
  id: string;
  kind: string;
  text: string | null;
  cron: string | null;
  at: string | null;
  nextRunAt: string | null;
  upcoming: string[];
  timezone: string;
}
interface Entry {
  at: string;
  source: string;
  kind: string;
  id: string;
  title: string;
  recurring: boolean;
  status: string;
}

const plan = (communityId: string, payload: Record<string, unknown>, token?: string) =>
  h.api({ method: 'POST', url: `/v1/communities/${communityId}/calendar`, payload, ...(token && { token }) });
const planned = async (communityId: string, query: string) => {
  const res = await h.api({ method: 'GET', url: `/v1/communities/${communityId}/calendar?${query}` });
  expect(res.statusCode, res.body).toBe(200);
  return res.json() as { items: Entry[]; total: number };
};
const poll = { question: 'Welke dag past?', options: ['dinsdag', 'donderdag'] };

describe(`the content calendar over REST (${engine()})`, () => {
  it('plans a weekly announcement in the community timezone and shows its next runs, across the spring change', async () => {
    const { community } = await seed(h);
    const res = await plan(community.id, { kind: 'announcement', text: 'Weekstart: wat speelt er?', cron: '0 9 * * mon' });
    expect(res.statusCode, res.body).toBe(201);
    // Monday 09:00 in Amsterdam: 08:00 UTC in winter, 07:00 UTC from 29 March.
    expect(res.json()).toMatchObject({
      kind: 'announcement',
      cron: '0 9 * * mon',
      at: null,
      timezone: 'Europe/Amsterdam',
      nextRunAt: '2026-03-09T08:00:00.000Z',
      upcoming: ['2026-03-09T08:00:00.000Z', '2026-03-16T08:00:00.000Z', '2026-03-23T08:00:00.000Z', '2026-03-30T07:00:00.000Z', '2026-04-06T07:00:00.000Z'],
    });
  });

  it('lists everything planned in a window, in time order, from every source', async () => {
    const { community } = await seed(h);
    const id = community.id;
    const weekly = (await plan(id, { kind: 'announcement', text: 'Weekstart: wat speelt er?', cron: '0 9 * * 1' })).json() as Item;
    const once = (await plan(id, { kind: 'poll', poll: { ...poll, closesAfterMinutes: 120 }, at: '2026-03-05T10:00:00Z' })).json() as Item;
    const sent = (await h.api({ method: 'POST', url: `/v1/communities/${id}/announcements`, payload: { text: 'Welkom allemaal' } })).json() as { id: string };
    const later = (await h.api({ method: 'POST', url: `/v1/communities/${id}/announcements`, payload: { text: 'Denk aan de peiling', sendAt: '2026-03-04T12:00:00Z' } })).json() as { id: string };
    const closing = (await h.api({ method: 'POST', url: `/v1/communities/${id}/polls`, payload: { ...poll, closesAt: '2026-03-06T12:00:00Z' } })).json() as { id: string };
    const event = (
      await h.api({
        method: 'POST',
        url: `/v1/communities/${id}/events`,
        payload: { kind: 'webinar', title: 'AVG en privacy', startsAt: '2026-03-10T19:30:00+01:00', endsAt: '2026-03-10T21:00:00+01:00' },
      })
    ).json() as { id: string };

    const { items, total } = await planned(id, 'from=2026-03-02T00:00:00Z&to=2026-04-07T00:00:00Z');
    expect(total).toBe(12);
    expect(items.map((e) => [e.at, e.source, e.kind, e.id, e.status])).toEqual([
      ['2026-03-02T09:00:00.000Z', 'announcement', 'announcement', sent.id, 'done'],
      ['2026-03-04T12:00:00.000Z', 'announcement', 'announcement', later.id, 'planned'],
      ['2026-03-05T10:00:00.000Z', 'calendar', 'poll', once.id, 'planned'],
      ['2026-03-06T12:00:00.000Z', 'poll', 'poll-close', closing.id, 'planned'],
      ['2026-03-09T08:00:00.000Z', 'calendar', 'announcement', weekly.id, 'planned'],
      ['2026-03-09T18:30:00.000Z', 'event', 'event-reminder', event.id, 'planned'],
      ['2026-03-10T17:30:00.000Z', 'event', 'event-reminder', event.id, 'planned'],
      ['2026-03-10T18:30:00.000Z', 'event', 'event', event.id, 'planned'],
      ['2026-03-16T08:00:00.000Z', 'calendar', 'announcement', weekly.id, 'planned'],
      ['2026-03-23T08:00:00.000Z', 'calendar', 'announcement', weekly.id, 'planned'],
      ['2026-03-30T07:00:00.000Z', 'calendar', 'announcement', weekly.id, 'planned'],
      ['2026-04-06T07:00:00.000Z', 'calendar', 'announcement', weekly.id, 'planned'],
    ]);
    expect(items[2]).toMatchObject({ title: 'Welke dag past?', recurring: false });
    expect(items[4]).toMatchObject({ title: 'Weekstart: wat speelt er?', recurring: true });

    const page = await planned(id, 'from=2026-03-02T00:00:00Z&to=2026-04-07T00:00:00Z&limit=5&offset=10');
    expect(page).toMatchObject({ total: 12, limit: 5, offset: 10 });
    expect(page.items.map((e) => e.at)).toEqual(['2026-03-30T07:00:00.000Z', '2026-04-06T07:00:00.000Z']);
    // Without a window: the coming seven days.
    expect((await planned(id, '')).items.map((e) => e.at)).toEqual(items.slice(0, 5).map((e) => e.at));
  });

  it('lists an approved failure story on its publication date', async () => {
    const { community, group } = await seed(h);
    await memberWhoWrites(h, group, '31622222222@c.us', '/verhaal Ons webinar trok twee aanmeldingen: we hadden niet gevraagd waar men tegenaan liep.');
    const [story] = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/stories` })).json().items as { id: string }[];
    const approved = await h.api({ method: 'PATCH', url: `/v1/stories/${story!.id}`, payload: { status: 'approved', publishAt: '2026-03-12T08:00:00Z' } });
    expect(approved.statusCode, approved.body).toBe(200);
    const { items } = await planned(community.id, 'from=2026-03-02T00:00:00Z&to=2026-03-20T00:00:00Z');
    expect(items.map((e) => [e.at, e.source, e.kind, e.id, e.status])).toEqual([['2026-03-12T08:00:00.000Z', 'story', 'story-publication', story!.id, 'planned']]);
    expect(items[0]!.title).toContain('Ons webinar trok twee aanmeldingen');
  });

  it('changes an item: a new recurrence plans its next run afresh; removed, it is gone', async () => {
    const { community } = await seed(h);
    const item = (await plan(community.id, { kind: 'announcement', text: 'Eerst', cron: '0 9 * * 1' })).json() as Item;
    const patched = await h.api({ method: 'PATCH', url: `/v1/calendar/${item.id}`, payload: { text: 'Daarna', cron: '30 18 * * 3' } });
    expect(patched.statusCode, patched.body).toBe(200);
    expect(patched.json()).toMatchObject({ text: 'Daarna', cron: '30 18 * * 3', nextRunAt: '2026-03-04T17:30:00.000Z' });
    const once = await h.api({ method: 'PATCH', url: `/v1/calendar/${item.id}`, payload: { at: '2026-03-03T08:00:00Z' } });
    expect(once.json()).toMatchObject({ cron: null, at: '2026-03-03T08:00:00.000Z', nextRunAt: '2026-03-03T08:00:00.000Z', upcoming: ['2026-03-03T08:00:00.000Z'] });

    expect((await h.api({ method: 'DELETE', url: `/v1/calendar/${item.id}` })).statusCode).toBe(204);
    expectProblem(await h.api({ method: 'GET', url: `/v1/calendar/${item.id}` }), 404, 'not-found');
    expect((await planned(community.id, '')).total).toBe(0);
  });

  it.each([
    ['a cron of four fields', { kind: 'announcement', text: 'Hoi', cron: '0 9 * *' }, 'five fields'],
    ['a minute out of range', { kind: 'announcement', text: 'Hoi', cron: '61 9 * * *' }, 'minute 61'],
    ['a cron more often than hourly', { kind: 'announcement', text: 'Hoi', cron: '*/30 * * * *' }, 'at most once an hour'],
    ['a cron that never runs', { kind: 'announcement', text: 'Hoi', cron: '0 9 30 2 *' }, 'never runs'],
    ['both at and cron', { kind: 'announcement', text: 'Hoi', cron: '0 9 * * *', at: '2026-04-01T09:00:00Z' }, 'either at'],
    ['neither at nor cron', { kind: 'announcement', text: 'Hoi' }, 'either at'],
    ['a time in the past', { kind: 'announcement', text: 'Hoi', at: '2026-03-01T09:00:00Z' }, 'future'],
    ['an announcement with a poll', { kind: 'announcement', poll, at: '2026-04-01T09:00:00Z' }, 'not a poll'],
    ['a poll without one', { kind: 'poll', text: 'Hoi', at: '2026-04-01T09:00:00Z' }, 'not a text'],
    ['a poll with the same option twice', { kind: 'poll', poll: { question: 'Q?', options: ['ja', 'Ja'] }, at: '2026-04-01T09:00:00Z' }, 'differ'],
  ])('refuses %s: 400 invalid, saying why', async (_, payload, reason) => {
    const { community } = await seed(h);
    expect(expectProblem(await plan(community.id, payload), 400, 'invalid').detail).toContain(reason);
  });

  it.each([
    ['an unknown kind', { kind: 'story', text: 'Hoi', at: '2026-04-01T09:00:00Z' }, 'body/kind'],
    ['an unknown field', { kind: 'announcement', text: 'Hoi', at: '2026-04-01T09:00:00Z', colour: 'red' }, 'body/colour'],
    ['a poll of one option', { kind: 'poll', poll: { question: 'Q?', options: ['ja'] }, at: '2026-04-01T09:00:00Z' }, 'body/poll/options'],
    ['a closing time of no minutes', { kind: 'poll', poll: { ...poll, closesAfterMinutes: 0 }, at: '2026-04-01T09:00:00Z' }, 'body/poll/closesAfterMinutes'],
    ['an at that is not a time', { kind: 'announcement', text: 'Hoi', at: 'morgen' }, 'body/at'],
  ])('refuses %s: 400 naming the field', async (_, payload, field) => {
    const { community } = await seed(h);
    expectValidation(await plan(community.id, payload), field);
  });

  it('refuses a window that ends before it starts or spans more than a year, and an empty change', async () => {
    const { community } = await seed(h);
    const list = (query: string) => h.api({ method: 'GET', url: `/v1/communities/${community.id}/calendar?${query}` });
    expect(expectProblem(await list('from=2026-03-10T00:00:00Z&to=2026-03-01T00:00:00Z'), 400, 'invalid').detail).toContain('after');
    expect(expectProblem(await list('from=2026-01-01T00:00:00Z&to=2027-01-03T00:00:00Z'), 400, 'invalid').detail).toContain('366 days');
    expectValidation(await list('from=gisteren'), 'querystring/from');
    const item = (await plan(community.id, { kind: 'announcement', text: 'Hoi', cron: '0 9 * * *' })).json() as Item;
    expectProblem(await h.api({ method: 'PATCH', url: `/v1/calendar/${item.id}`, payload: {} }), 400, 'validation');
    expectValidation(await h.api({ method: 'PATCH', url: `/v1/calendar/${item.id}`, payload: { kind: 'poll' } }), 'body/kind');
    expect(expectProblem(await h.api({ method: 'PATCH', url: `/v1/calendar/${item.id}`, payload: { poll } }), 400, 'invalid').detail).toContain('not a poll');
  });

  it("gives a manager token of another community 404 for that community's calendar", async () => {
    const mine = await seed(h);
    const other = await seed(h);
    const token = await managerToken(h, mine.community.id);
    const theirs = (await plan(other.community.id, { kind: 'announcement', text: 'Van ons', cron: '0 9 * * *' })).json() as Item;
    expectProblem(await plan(other.community.id, { kind: 'announcement', text: 'Hoi', cron: '0 9 * * *' }, token), 404, 'not-found');
    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${other.community.id}/calendar`, token }), 404, 'not-found');
    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${other.community.id}/calendar/items`, token }), 404, 'not-found');
    for (const method of ['GET', 'DELETE'] as const) expectProblem(await h.api({ method, url: `/v1/calendar/${theirs.id}`, token }), 404, 'not-found');
    expectProblem(await h.api({ method: 'PATCH', url: `/v1/calendar/${theirs.id}`, payload: { text: 'Van mij' }, token }), 404, 'not-found');
    expect((await h.api({ method: 'GET', url: `/v1/calendar/${theirs.id}` })).json()).toMatchObject({ text: 'Van ons' });
    expect((await plan(mine.community.id, { kind: 'announcement', text: 'Hoi', cron: '0 9 * * *' }, token)).statusCode).toBe(201);
    const items = (await h.api({ method: 'GET', url: `/v1/communities/${mine.community.id}/calendar/items`, token })).json() as { total: number };
    expect(items.total).toBe(1);
  });
});
