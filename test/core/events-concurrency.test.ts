import { and, eq } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN } from '../../src/core/access.js';
import { eventAttendees } from '../../src/db/schema/index.js';
import { newGroup } from '../helpers/conversation.js';
import { engine } from '../helpers/database.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

// On PostgreSQL these are real concurrent transactions on a pool of connections, each locking
// the event's row before it counts the places; on PGlite the transactions take turns, which
// must give the same outcome.
const senders = (prefix: string) => Array.from({ length: 30 }, (_, i) => `${prefix}${String(i).padStart(2, '0')}@c.us`);

async function tally(h: Harness, eventId: string) {
  const rows = await h.database.db.select().from(eventAttendees).where(eq(eventAttendees.eventId, eventId));
  return { confirmed: rows.filter((r) => r.status === 'confirmed').length, waiting: rows.filter((r) => r.status === 'waiting').length };
}

async function planTwentyPlaces(h: Harness, communityId: string) {
  const res = await h.api({
    method: 'POST',
    url: `/v1/communities/${communityId}/events`,
    payload: { kind: 'meetup', title: 'Kerngroep meetup', startsAt: '2026-03-20T15:00:00+01:00', endsAt: '2026-03-20T17:00:00+01:00', capacity: 20, announce: false },
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json() as { id: string; number: number };
}

describe.each([
  { lanes: 'the default inbound batching', inbound: undefined },
  { lanes: 'one transaction per message, ten at once', inbound: { maxBatch: 1, lanes: 10 } },
])(`30 members joining at once for 20 places (${engine()}, $lanes)`, ({ inbound }) => {
  let h: Harness;
  beforeAll(async () => {
    h = await createHarness({ inbound });
  });
  afterAll(() => h.close());

  it('confirms exactly 20 and puts exactly 10 on the waiting list, from chat', async () => {
    const { community, group, address } = await seedCommunity(h, { language: 'en' }, newGroup());
    const event = await planTwentyPlaces(h, community.id);

    const results = await Promise.all(senders('316700000').map((s) => h.core.receive(groupMessage(group, s, `/join ${event.number}`))));

    expect(results.map((r) => `${r.status}:${r.command}`)).toEqual(Array(30).fill('processed:join'));
    expect(await tally(h, event.id)).toEqual({ confirmed: 20, waiting: 10 });
    await h.flush();
    const replies = h.whatsapp.textsTo(address);
    expect(replies.filter((t) => t.startsWith('You are signed up for Kerngroep meetup'))).toHaveLength(20);
    const positions = replies.flatMap((t) => /you are number (\d+) on the waiting list/.exec(t)?.[1] ?? []).map(Number);
    expect(positions.sort((a, b) => a - b)).toEqual(Array.from({ length: 10 }, (_, i) => i + 1));
  });

  it('confirms exactly 20 of 30 signed up at once through the service and through REST', async () => {
    const { community, group } = await seedCommunity(h, {}, newGroup());
    const members: string[] = [];
    for (const s of senders('316710000')) members.push((await h.core.receive(groupMessage(group, s, 'Hoi')))!.memberId!);

    const viaService = await planTwentyPlaces(h, community.id);
    const outcomes = await Promise.all(members.map((m) => h.core.activities.signUp(ADMIN, viaService.id, m)));
    expect(outcomes.filter((o) => o.outcome === 'confirmed')).toHaveLength(20);
    expect(await tally(h, viaService.id)).toEqual({ confirmed: 20, waiting: 10 });

    const viaRest = await planTwentyPlaces(h, community.id);
    const responses = await Promise.all(
      members.map((memberId) => h.api({ method: 'POST', url: `/v1/events/${viaRest.id}/attendees`, payload: { memberId } })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(30).fill(200));
    expect(await tally(h, viaRest.id)).toEqual({ confirmed: 20, waiting: 10 });
  });

  it('moves exactly as many up as left when 10 confirmed leave at once while others join', async () => {
    const { community, group } = await seedCommunity(h, {}, newGroup());
    const event = await planTwentyPlaces(h, community.id);
    const people = senders('316720000');
    for (const s of people) await h.core.receive(groupMessage(group, s, `/aanmelden ${event.number}`));
    expect(await tally(h, event.id)).toEqual({ confirmed: 20, waiting: 10 });

    const late = senders('316730000').slice(0, 5);
    await Promise.all([
      ...people.slice(0, 10).map((s) => h.core.receive(groupMessage(group, s, `/afmelden ${event.number}`))),
      ...late.map((s) => h.core.receive(groupMessage(group, s, `/aanmelden ${event.number}`))),
    ]);

    // 10 left; the 10 waiting moved up; the 5 late ones fill no more than what is left.
    expect(await tally(h, event.id)).toEqual({ confirmed: 20, waiting: 5 });
    const stillWaiting = await h.database.db
      .select()
      .from(eventAttendees)
      .where(and(eq(eventAttendees.eventId, event.id), eq(eventAttendees.status, 'waiting')));
    expect(stillWaiting).toHaveLength(5);
  });
});
