import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHarness, type Harness } from '../helpers/harness.js';
import { expectProblem, expectValidation, managerToken, memberWhoWrites, seed } from './support.js';

interface EventBody {
  id: string;
  number: number;
  kind: string;
  title: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  capacity: number | null;
  confirmed: number;
  waiting: number;
  reminders: number[];
  cancelledAt: string | null;
  warnings: { code: string; message: string; region: string; holiday: string }[];
}

let h: Harness;
let community: { id: string };
let group: string;
let address: string;
let other: { community: { id: string }; group: string };
beforeAll(async () => {
  h = await createHarness();
  ({ community, group, address } = await seed(h, { language: 'en' }));
  other = await seed(h);
});
afterAll(() => h.close());

const webinar = {
  kind: 'webinar',
  title: 'AVG en privacy in e-health',
  startsAt: '2026-03-10T19:30:00+01:00',
  endsAt: '2026-03-10T21:00:00+01:00',
  onlineUrl: 'https://teams.example.org/meet/123',
};
const plan = (payload: Record<string, unknown>, communityId = community.id, token?: string) =>
  h.api({ method: 'POST', url: `/v1/communities/${communityId}/events`, payload, ...(token && { token }) });

describe('planning an activity over the API', () => {
  it('creates it with the next short number, times in the community timezone, and no warnings', async () => {
    const res = await plan({ ...webinar, startsAt: '2026-03-10T18:30:00Z', endsAt: '2026-03-10T20:00:00Z' });
    expect(res.statusCode, res.body).toBe(201);
    const event = res.json() as EventBody;
    expect(event).toMatchObject({
      number: 1,
      kind: 'webinar',
      startsAt: '2026-03-10T19:30:00+01:00',
      endsAt: '2026-03-10T21:00:00+01:00',
      timezone: 'Europe/Amsterdam',
      capacity: null,
      confirmed: 0,
      waiting: 0,
      reminders: [1440, 60],
      warnings: [],
    });
    const second = (await plan({ ...webinar, kind: 'meetup', title: 'Meetup' })).json() as EventBody;
    expect(second.number).toBe(2);
    // Numbers are per community: another one starts at 1.
    expect(((await plan(webinar, other.community.id)).json() as EventBody).number).toBe(1);
  });

  it('shows a summer time as +02:00', async () => {
    const event = (await plan({ ...webinar, startsAt: '2026-06-03T10:00:00Z', endsAt: '2026-06-03T12:00:00Z' })).json() as EventBody;
    expect(event.startsAt).toBe('2026-06-03T12:00:00+02:00');
  });

  it('announces it in the community spaces with a Join button', async () => {
    const res = await plan({ ...webinar, title: 'Intervisie', kind: 'intervision' });
    const { number } = res.json() as EventBody;
    await h.flush();
    const sent = h.whatsapp.sent.filter((m) => m.address === address && m.text.includes('Intervisie'));
    expect(sent).toHaveLength(1);
    expect(sent[0]!.text).toContain(`join ${number}`);
    expect(sent[0]!.actions).toEqual([{ label: `Join ${number}`, command: `join ${number}` }]);
  });

  it('warns when it falls in a school holiday, naming region and holiday', async () => {
    // 6 July 2026: only regio noord has started its summer holiday (4 July).
    const july = (await plan({ ...webinar, startsAt: '2026-07-06T10:00:00+02:00', endsAt: '2026-07-06T12:00:00+02:00' })).json() as EventBody;
    expect(july.warnings).toHaveLength(1);
    expect(july.warnings[0]).toMatchObject({ code: 'school-holiday', region: 'noord', holiday: 'summer' });
    expect(july.warnings[0]!.message).toMatch(/summer holiday.*noord/);
    // The May holiday is the same everywhere: three warnings.
    const may = (await plan({ ...webinar, startsAt: '2026-04-28T10:00:00+02:00', endsAt: '2026-04-28T12:00:00+02:00' })).json() as EventBody;
    expect(may.warnings.map((w) => `${w.holiday}:${w.region}`).sort()).toEqual(['may:midden', 'may:noord', 'may:zuid']);
    // GET tells it again.
    const fetched = (await h.api({ method: 'GET', url: `/v1/events/${may.id}` })).json() as EventBody;
    expect(fetched.warnings).toHaveLength(3);
  });

  it.each([
    ['an end before the start', { endsAt: '2026-03-10T18:00:00+01:00' }, 'invalid'],
    ['a start in the past', { startsAt: '2026-03-01T10:00:00+01:00', endsAt: '2026-03-01T11:00:00+01:00' }, 'invalid'],
    ['a sign-up deadline after the start', { signupDeadline: '2026-03-11T10:00:00+01:00' }, 'invalid'],
  ])('refuses %s with 400', async (_what, change, code) => {
    expectProblem(await plan({ ...webinar, ...change }), 400, code);
  });

  it.each([
    ['an unknown kind', { kind: 'party' }, 'body/kind'],
    ['a time without an offset', { startsAt: '2026-03-10T19:30:00' }, 'body/startsAt'],
    ['a capacity of 0', { capacity: 0 }, 'body/capacity'],
    ['an unknown field', { colour: 'red' }, 'body/colour'],
    ['a title of only spaces', { title: '   ' }, 'body/title'],
    ['a link that is not http', { onlineUrl: 'javascript:alert(1)' }, 'body/onlineUrl'],
  ])('refuses %s as a validation problem', async (_what, change, field) => {
    expectValidation(await plan({ ...webinar, ...change }), field);
  });

  it('refuses a host organisation of another community', async () => {
    const org = await h.api({ method: 'POST', url: `/v1/communities/${other.community.id}/organisations`, payload: { name: 'Elders' } });
    const problem = expectProblem(await plan({ ...webinar, hostOrganisationId: org.json().id }), 400, 'invalid');
    expect(problem.detail).toMatch(/hostOrganisationId/);
  });

  it('lists the upcoming ones, soonest first, and leaves out cancelled ones', async () => {
    const list = await h.api({ method: 'GET', url: `/v1/communities/${community.id}/events?limit=200` });
    expect(list.statusCode).toBe(200);
    const items = (list.json() as { items: EventBody[] }).items;
    const starts = items.map((e) => Date.parse(e.startsAt));
    expect(starts).toEqual([...starts].sort((a, b) => a - b));
    const doomed = (await plan({ ...webinar, title: 'Gaat niet door' })).json() as EventBody;
    expect((await h.api({ method: 'DELETE', url: `/v1/events/${doomed.id}` })).statusCode).toBe(204);
    const after = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/events?limit=200` })).json() as { items: EventBody[] };
    expect(after.items.map((e) => e.id)).not.toContain(doomed.id);
    const all = (await h.api({ method: 'GET', url: `/v1/communities/${community.id}/events?limit=200&includeCancelled=true` })).json() as { items: EventBody[] };
    expect(all.items.find((e) => e.id === doomed.id)?.cancelledAt).toEqual(expect.any(String));
  });

  it('gives a manager of another community 404 for its events, and lets a manager plan their own', async () => {
    const event = (await plan(webinar)).json() as EventBody;
    const token = await managerToken(h, other.community.id);
    expectProblem(await h.api({ method: 'GET', url: `/v1/events/${event.id}`, token }), 404, 'not-found');
    expectProblem(await h.api({ method: 'PATCH', url: `/v1/events/${event.id}`, payload: { title: 'Mine' }, token }), 404, 'not-found');
    expectProblem(await h.api({ method: 'GET', url: `/v1/events/${event.id}/attendees`, token }), 404, 'not-found');
    expectProblem(await plan(webinar, community.id, token), 404, 'not-found');
    expect((await plan(webinar, other.community.id, token)).statusCode).toBe(201);
  });
});

describe('attendees over the API', () => {
  it('signs members up to the capacity, then onto the waiting list, and moves the list up when someone is signed off', async () => {
    const event = (await plan({ ...webinar, capacity: 2, announce: false })).json() as EventBody;
    const ids = [];
    for (const n of [1, 2, 3]) ids.push(await memberWhoWrites(h, group, `3162000000${n}@c.us`));
    const outcomes = [];
    for (const memberId of ids) {
      const res = await h.api({ method: 'POST', url: `/v1/events/${event.id}/attendees`, payload: { memberId } });
      expect(res.statusCode, res.body).toBe(200);
      outcomes.push(res.json().outcome);
    }
    expect(outcomes).toEqual(['confirmed', 'confirmed', 'waiting']);
    const again = await h.api({ method: 'POST', url: `/v1/events/${event.id}/attendees`, payload: { memberId: ids[2] } });
    expect(again.json()).toMatchObject({ outcome: 'already-waiting', attendee: { status: 'waiting', position: 1 } });

    const list = (await h.api({ method: 'GET', url: `/v1/events/${event.id}/attendees` })).json();
    expect(list.items.map((a: { memberId: string; status: string }) => `${a.memberId}:${a.status}`)).toEqual([
      `${ids[0]}:confirmed`,
      `${ids[1]}:confirmed`,
      `${ids[2]}:waiting`,
    ]);

    expect((await h.api({ method: 'DELETE', url: `/v1/events/${event.id}/attendees/${ids[0]}` })).statusCode).toBe(204);
    const after = (await h.api({ method: 'GET', url: `/v1/events/${event.id}` })).json() as EventBody;
    expect(after).toMatchObject({ confirmed: 2, waiting: 0 });
    // The one who moved up hears it in their own WhatsApp chat.
    await h.flush();
    expect(h.whatsapp.textsTo('whatsapp:31620000003@c.us').join('\n')).toMatch(/a place opened up/);
    expectProblem(await h.api({ method: 'DELETE', url: `/v1/events/${event.id}/attendees/${ids[0]}` }), 404, 'not-found');
  });

  it('refuses a member of another community with 400', async () => {
    const event = (await plan({ ...webinar, announce: false })).json() as EventBody;
    const stranger = await memberWhoWrites(h, other.group, '31629999999@c.us');
    expectProblem(await h.api({ method: 'POST', url: `/v1/events/${event.id}/attendees`, payload: { memberId: stranger } }), 400, 'invalid');
  });

  it('grows the confirmed list from the waiting list when the capacity goes up', async () => {
    const event = (await plan({ ...webinar, capacity: 1, announce: false })).json() as EventBody;
    for (const n of [4, 5, 6]) {
      const memberId = await memberWhoWrites(h, group, `3162000000${n}@c.us`);
      await h.api({ method: 'POST', url: `/v1/events/${event.id}/attendees`, payload: { memberId } });
    }
    const res = await h.api({ method: 'PATCH', url: `/v1/events/${event.id}`, payload: { capacity: 2 } });
    expect(res.json()).toMatchObject({ capacity: 2, confirmed: 2, waiting: 1 });
  });

  it('records who came, including someone who came without signing up', async () => {
    const event = (await plan({ ...webinar, announce: false })).json() as EventBody;
    const came = await memberWhoWrites(h, group, '31630000001@c.us');
    const stayedAway = await memberWhoWrites(h, group, '31630000002@c.us');
    const walkIn = await memberWhoWrites(h, group, '31630000003@c.us');
    for (const memberId of [came, stayedAway]) await h.api({ method: 'POST', url: `/v1/events/${event.id}/attendees`, payload: { memberId } });
    const res = await h.api({ method: 'POST', url: `/v1/events/${event.id}/attendance`, payload: { present: [came, walkIn], absent: [stayedAway] } });
    expect(res.statusCode, res.body).toBe(200);
    const byId = new Map((res.json().items as { memberId: string; attended: boolean | null }[]).map((a) => [a.memberId, a.attended]));
    expect(Object.fromEntries(byId)).toEqual({ [came]: true, [stayedAway]: false, [walkIn]: true });
    expectValidation(await h.api({ method: 'POST', url: `/v1/events/${event.id}/attendance`, payload: {} }), 'body');
  });
});

describe('moving and cancelling', () => {
  it('tells the attendees when it moves, and when it is cancelled; a second DELETE changes nothing', async () => {
    const event = (await plan({ ...webinar, title: 'Escape room', kind: 'social', announce: false })).json() as EventBody;
    const memberId = await memberWhoWrites(h, group, '31640000001@c.us');
    await h.api({ method: 'POST', url: `/v1/events/${event.id}/attendees`, payload: { memberId } });
    const moved = await h.api({ method: 'PATCH', url: `/v1/events/${event.id}`, payload: { startsAt: '2026-03-12T19:30:00+01:00', endsAt: '2026-03-12T22:00:00+01:00' } });
    expect(moved.json()).toMatchObject({ startsAt: '2026-03-12T19:30:00+01:00' });
    expect((await h.api({ method: 'DELETE', url: `/v1/events/${event.id}` })).statusCode).toBe(204);
    expect((await h.api({ method: 'DELETE', url: `/v1/events/${event.id}` })).statusCode).toBe(204);
    await h.flush();
    const direct = h.whatsapp.textsTo('whatsapp:31640000001@c.us');
    expect(direct.filter((t) => t.includes('has moved'))).toHaveLength(1);
    expect(direct.filter((t) => t.includes('has been cancelled'))).toHaveLength(1);
    expect(h.whatsapp.textsTo(address).filter((t) => t.includes('*Escape room*') && t.includes('has been cancelled'))).toHaveLength(1);
    expectProblem(await h.api({ method: 'PATCH', url: `/v1/events/${event.id}`, payload: { title: 'Toch wel' } }), 409, 'conflict');
  });

  it('gives 404 for an unknown event and 400 for an id that is not a uuid', async () => {
    expectProblem(await h.api({ method: 'GET', url: '/v1/events/00000000-0000-4000-8000-000000000000' }), 404, 'not-found');
    expectValidation(await h.api({ method: 'GET', url: '/v1/events/nope' }), 'params/id');
  });
});

describe('calendar files over the API', () => {
  it('serves one event as text/calendar', async () => {
    const event = (await plan({ ...webinar, announce: false })).json() as EventBody;
    const res = await h.api({ method: 'GET', url: `/v1/events/${event.id}/ics` });
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toMatch(/^text\/calendar/);
    expect(res.body).toContain(`UID:${event.id}@samen\r\n`);
    expect(res.body).toContain('DTSTART;TZID=Europe/Amsterdam:20260310T193000\r\n');
  });

  it('serves the community feed for its secret without a bearer token, and nothing for a wrong or old one', async () => {
    const first = await h.api({ method: 'POST', url: `/v1/communities/${community.id}/calendar/token` });
    expect(first.statusCode).toBe(201);
    const { token, url } = first.json() as { token: string; url: string };
    expect(url).toContain(`/v1/communities/${community.id}/calendar.ics?token=${token}`);
    const feed = await h.api({ method: 'GET', url: `/v1/communities/${community.id}/calendar.ics?token=${token}`, token: null });
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toMatch(/^text\/calendar/);
    expect(feed.body.startsWith('BEGIN:VCALENDAR\r\n')).toBe(true);
    expect(feed.body.match(/BEGIN:VEVENT/g)!.length).toBeGreaterThan(3);

    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${community.id}/calendar.ics?token=${'x'.repeat(32)}`, token: null }), 404, 'not-found');
    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${other.community.id}/calendar.ics?token=${token}`, token: null }), 404, 'not-found');
    expectValidation(await h.api({ method: 'GET', url: `/v1/communities/${community.id}/calendar.ics`, token: null }), 'querystring/token');
    // A new secret cuts the old URL off.
    await h.api({ method: 'POST', url: `/v1/communities/${community.id}/calendar/token` });
    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${community.id}/calendar.ics?token=${token}`, token: null }), 404, 'not-found');
  });

  it('still wants a bearer token on every other events route', async () => {
    expectProblem(await h.api({ method: 'GET', url: `/v1/communities/${community.id}/events`, token: null }), 401, 'unauthorized');
    expectProblem(await h.api({ method: 'POST', url: `/v1/communities/${community.id}/calendar/token`, token: null }), 401, 'unauthorized');
  });
});
