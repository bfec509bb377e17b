import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { t } from '../../src/core/i18n/index.js';
import { newGroup, person } from '../helpers/conversation.js';
import { createHarness, groupMessage, seedCommunity, type Harness } from '../helpers/harness.js';

const HOUR = 3_600_000;

let h: Harness;
beforeAll(async () => {
  h = await createHarness();
});
afterAll(() => h.close());

/** A community in `language` with one WhatsApp group, and an event planned over the API. */
async function setUp(language: 'en' | 'nl', event: Record<string, unknown> = {}) {
  const seeded = await seedCommunity(h, { language }, newGroup());
  const res = await h.api({
    method: 'POST',
    url: `/v1/communities/${seeded.community.id}/events`,
    payload: {
      kind: 'webinar',
      title: 'AVG en privacy',
      startsAt: '2026-03-05T19:00:00+01:00',
      endsAt: '2026-03-05T20:30:00+01:00',
      location: 'Stadskantoor, Utrecht',
      announce: false,
      ...event,
    },
  });
  expect(res.statusCode, res.body).toBe(201);
  return { ...seeded, event: res.json() as { id: string; number: number; title: string } };
}

const dm = (sender: string) => h.whatsapp.textsTo(`whatsapp:${sender}`);

describe('events / activiteiten', () => {
  it('lists the upcoming activities with their numbers and places, in English', async () => {
    const { group, event } = await setUp('en', { capacity: 12 });
    const say = person(h, group, '31611000001@c.us');
    const [reply] = await say('/events');
    const lines = reply!.split('\n');
    expect(lines[0]).toBe(t('en', 'events.title', { community: 'Wijkzorg Utrecht' }));
    expect(lines[1]).toMatch(new RegExp(`^\\*${event.number}\\* — Webinar: AVG en privacy, Thu 5 March at 19:00\\. 0 of 12 places taken\\.$`));
    expect(lines.at(-1)).toBe(t('en', 'events.footer'));
  });

  it('lists them in Dutch for activiteiten, and marks the ones you signed up for', async () => {
    const { group, event } = await setUp('en');
    const say = person(h, group, '31611000002@c.us');
    await say(`/aanmelden ${event.number}`);
    const [reply] = await say('/activiteiten');
    expect(reply!.split('\n')[0]).toBe(t('nl', 'events.title', { community: 'Wijkzorg Utrecht' }));
    expect(reply).toContain(`*${event.number}* — Webinar: AVG en privacy, do 5 maart om 19:00. 1 aanmeldingen. Jij komt.`);
  });

  it('says when nothing is planned', async () => {
    const { group } = await seedCommunity(h, { language: 'nl' }, newGroup());
    expect(await person(h, group, '31611000003@c.us')('/activiteiten')).toEqual([t('nl', 'events.none', { community: 'Wijkzorg Utrecht' })]);
  });

  it('leaves out cancelled and past activities', async () => {
    const { group, event } = await setUp('en', { reminders: [] });
    const say = person(h, group, '31611000004@c.us');
    h.clock.advance(4 * 24 * HOUR); // after it ended
    try {
      expect(await say('/events')).toEqual([t('en', 'events.none', { community: 'Wijkzorg Utrecht' })]);
    } finally {
      h.clock.advance(-4 * 24 * HOUR);
    }
    expect((await say('/events'))[0]).toContain('AVG en privacy');
    await h.api({ method: 'DELETE', url: `/v1/events/${event.id}` });
    await h.flush();
    expect(await say('/events')).toEqual([t('en', 'events.none', { community: 'Wijkzorg Utrecht' })]);
  });
});

describe('join / aanmelden and leave / afmelden', () => {
  it('signs up until the activity is full, then puts people on the waiting list', async () => {
    const { group, event } = await setUp('en', { capacity: 1 });
    const anna = person(h, group, '31612000001@c.us');
    const bram = person(h, group, '31612000002@c.us');
    expect(await anna(`/join ${event.number}`)).toEqual([
      t('en', 'events.join.confirmed', { title: 'AVG en privacy', when: 'Thu 5 March at 19:00' }),
    ]);
    expect(await anna(`/join ${event.number}`)).toEqual([t('en', 'events.join.already', { title: 'AVG en privacy' })]);
    expect(await bram(`/aanmelden ${event.number}`)).toEqual([t('nl', 'events.join.waiting', { title: 'AVG en privacy', position: 1 })]);
    expect(await bram(`/aanmelden ${event.number}`)).toEqual([t('nl', 'events.join.alreadyWaiting', { title: 'AVG en privacy', position: 1 })]);
  });

  it('gives the freed place to the first on the waiting list, who is told in their own chat and language', async () => {
    const { group, event } = await setUp('en', { capacity: 1 });
    const anna = person(h, group, '31613000001@c.us');
    const bram = person(h, group, '31613000002@c.us', 'Bram');
    const carla = person(h, group, '31613000003@c.us');
    await anna(`/join ${event.number}`);
    await bram('/profile language nl');
    await bram(`/join ${event.number}`);
    await carla(`/join ${event.number}`);

    expect(await anna(`/leave ${event.number}`)).toEqual([t('en', 'events.leave.done', { title: 'AVG en privacy' })]);
    expect(dm('31613000002@c.us')).toEqual([
      t('nl', 'events.promoted', { name: 'Bram', title: 'AVG en privacy', when: 'do 5 maart om 19:00', number: event.number }),
    ]);
    expect(dm('31613000003@c.us')).toEqual([]);
    expect(await anna(`/leave ${event.number}`)).toEqual([t('en', 'events.leave.notSignedUp', { title: 'AVG en privacy' })]);
    // Carla is now first in line.
    expect(await carla(`/join ${event.number}`)).toEqual([t('en', 'events.join.alreadyWaiting', { title: 'AVG en privacy', position: 1 })]);
  });

  it('answers a missing, unknown or cancelled number, and a closed sign-up', async () => {
    const { group, community, event } = await setUp('en', { signupDeadline: '2026-03-03T12:00:00+01:00' });
    const say = person(h, group, '31614000001@c.us');
    expect(await say('/join')).toEqual([t('en', 'events.usage.join')]);
    expect(await say('/afmelden soon')).toEqual([t('nl', 'events.usage.leave')]);
    expect(await say('/join 99')).toEqual([t('en', 'events.unknown', { number: 99 })]);
    h.clock.advance(2 * 24 * HOUR); // past the deadline
    try {
      expect(await say(`/join ${event.number}`)).toEqual([t('en', 'events.closed', { title: 'AVG en privacy', date: '3 March 2026' })]);
    } finally {
      h.clock.advance(-2 * 24 * HOUR);
    }
    const other = await h.api({
      method: 'POST',
      url: `/v1/communities/${community.id}/events`,
      payload: { kind: 'social', title: 'Karten', startsAt: '2026-03-06T15:00:00+01:00', endsAt: '2026-03-06T18:00:00+01:00', announce: false },
    });
    await h.api({ method: 'DELETE', url: `/v1/events/${other.json().id}` });
    await h.flush();
    expect(await say(`/join ${other.json().number}`)).toEqual([t('en', 'events.cancelled', { title: 'Karten' })]);
  });

  it('only knows the numbers of its own community', async () => {
    const { event } = await setUp('en');
    const elsewhere = await seedCommunity(h, { language: 'en' }, newGroup());
    expect(await person(h, elsewhere.group, '31614000002@c.us')(`/join ${event.number + 50}`)).toEqual([
      t('en', 'events.unknown', { number: event.number + 50 }),
    ]);
  });
});

describe('on Teams', () => {
  it('offers Join and Leave buttons, and a pressed button signs up like a typed command', async () => {
    const { community, event } = await setUp('en');
    const channel = '19:activiteiten@thread.tacv2';
    const linked = await h.api({
      method: 'POST',
      url: `/v1/communities/${community.id}/spaces`,
      payload: { channel: 'teams', externalId: channel, name: 'Algemeen' },
    });
    expect(linked.statusCode).toBe(201);
    const address = `teams:${channel}`;
    const teamsMessage = (text: string, extra = {}) =>
      groupMessage(channel, 'aad-user-1', text, { channel: 'teams', mentioned: true, sender: { externalId: 'aad-user-1', displayName: 'Femke' }, ...extra });

    await h.core.receive(teamsMessage('events'));
    await h.flush();
    const list = h.teams.sent.filter((m) => m.address === address).at(-1)!;
    expect(list.actions).toContainEqual({ label: `Join ${event.number}`, command: `join ${event.number}` });

    await h.core.receive(teamsMessage('', { action: { kind: 'command', command: `join ${event.number}` } }));
    await h.flush();
    const joined = h.teams.sent.filter((m) => m.address === address).at(-1)!;
    expect(joined.text).toBe(t('en', 'events.join.confirmed', { title: 'AVG en privacy', when: 'Thu 5 March at 19:00' }));
    expect(joined.actions).toEqual([{ label: `Leave ${event.number}`, command: `leave ${event.number}` }]);
    const attendees = (await h.api({ method: 'GET', url: `/v1/events/${event.id}/attendees` })).json();
    expect(attendees.items.map((a: { displayName: string }) => a.displayName)).toEqual(['Femke']);
  });

  it('makes Dutch buttons in a Dutch community, which answer in Dutch', async () => {
    const { group, event } = await setUp('nl');
    await h.core.receive(groupMessage(group, '31615000001@c.us', '/activiteiten'));
    await h.flush();
    const sent = h.whatsapp.sent.filter((m) => m.address === `whatsapp:${group}`).at(-1)!;
    expect(sent.actions).toEqual([{ label: `Aanmelden ${event.number}`, command: `aanmelden ${event.number}` }]);
  });
});

describe('reminders', () => {
  it('reminds attendees in their own chat and the group a day and an hour before', async () => {
    const { group, event, address } = await setUp('en');
    const sender = '31616000001@c.us';
    await person(h, group, sender)(`/join ${event.number}`);
    const before = h.whatsapp.textsTo(address).length;

    await h.flush();
    expect(dm(sender)).toEqual([]);
    h.clock.advance(2 * 24 * HOUR + 9 * HOUR); // 2026-03-04T18:00Z: a day before 19:00 local
    await h.flush();
    const reminder = t('en', 'events.reminder.attendee', { title: 'AVG en privacy', when: 'Thu 5 March at 19:00', place: ' Where: Stadskantoor, Utrecht.' });
    expect(dm(sender)).toEqual([reminder]);
    expect(h.whatsapp.textsTo(address).slice(before)).toEqual([expect.stringContaining('Reminder: *AVG en privacy* starts Thu 5 March at 19:00.')]);

    h.clock.advance(23 * HOUR); // an hour before
    await h.flush();
    expect(dm(sender)).toEqual([reminder, reminder]);
    expect(h.whatsapp.textsTo(address).slice(before)).toHaveLength(2);
    h.clock.advance(-(3 * 24 * HOUR + 8 * HOUR));
  });

  it('reminds a Teams member in their personal chat with the bot once they opened one; the channel reminder covers the others', async () => {
    const { community, event } = await setUp('en', { reminders: [60] });
    const channel = `19:reminders-${community.id}@thread.tacv2`;
    await h.api({ method: 'POST', url: `/v1/communities/${community.id}/spaces`, payload: { channel: 'teams', externalId: channel, name: 'Algemeen' } });
    // Setting the reminders again plans them for every space, the new channel included.
    await h.api({ method: 'PATCH', url: `/v1/events/${event.id}`, payload: { reminders: [60] } });
    const inChannel = (sender: string, text: string) =>
      groupMessage(channel, sender, text, { channel: 'teams', mentioned: true, sender: { externalId: sender, displayName: sender } });
    await h.core.receive(inChannel('aad-with-chat', `join ${event.number}`));
    await h.core.receive(inChannel('aad-without-chat', `join ${event.number}`));
    // One of them opens a personal chat with the bot.
    await h.core.receive({ ...inChannel('aad-with-chat', 'profile'), space: { externalId: 'a:personal-1', direct: true }, replyAddress: 'teams:a:personal-1' });
    await h.flush();
    const personal = h.teams.textsTo('teams:a:personal-1').length;
    const channelBefore = h.teams.textsTo(`teams:${channel}`).length;

    h.clock.advance(3 * 24 * HOUR + 8 * HOUR); // 2026-03-05T17:00Z = 18:00 local: an hour before
    await h.flush().finally(() => h.clock.advance(-(3 * 24 * HOUR + 8 * HOUR)));
    const reminder = t('en', 'events.reminder.attendee', { title: 'AVG en privacy', when: 'Thu 5 March at 19:00', place: ' Where: Stadskantoor, Utrecht.' });
    expect(h.teams.textsTo('teams:a:personal-1').slice(personal)).toEqual([reminder]);
    expect(h.teams.sent.filter((m) => m.address === 'teams:a:personal-1').at(-1)!.actions).toEqual([{ label: `Leave ${event.number}`, command: `leave ${event.number}` }]);
    expect(h.teams.textsTo(`teams:${channel}`).slice(channelBefore)).toEqual([expect.stringContaining('Reminder: *AVG en privacy* starts Thu 5 March at 19:00.')]);
    expect(h.teams.sent.filter((m) => m.address.includes('without'))).toEqual([]);
  });

  it('sends no reminders for a member who left or an event that was cancelled, and new ones after a move', async () => {
    const { group, event, address } = await setUp('en', { reminders: [120] });
    const stays = '31617000001@c.us';
    const leaves = '31617000002@c.us';
    await person(h, group, stays)(`/join ${event.number}`);
    await person(h, group, leaves)(`/join ${event.number}`);
    await person(h, group, leaves)(`/leave ${event.number}`);
    const moved = await h.api({ method: 'PATCH', url: `/v1/events/${event.id}`, payload: { startsAt: '2026-03-05T21:00:00+01:00', endsAt: '2026-03-05T22:00:00+01:00' } });
    expect(moved.statusCode).toBe(200);
    await h.flush();
    const groupBefore = h.whatsapp.textsTo(address).length;

    h.clock.advance(3 * 24 * HOUR + 8 * HOUR); // 2026-03-05T17:00Z = 18:00 local: the old reminder time
    await h.flush();
    expect(dm(stays).filter((x) => x.startsWith('Reminder'))).toEqual([]);
    h.clock.advance(2 * HOUR); // 20:00 local: two hours before the new start
    await h.flush();
    expect(dm(stays).filter((x) => x.startsWith('Reminder'))).toEqual([expect.stringContaining('starts Thu 5 March at 21:00')]);
    expect(dm(leaves).filter((x) => x.startsWith('Reminder'))).toEqual([]);
    expect(h.whatsapp.textsTo(address).slice(groupBefore)).toHaveLength(1);
    h.clock.advance(-(3 * 24 * HOUR + 10 * HOUR));

    const { event: cancelled, group: g2 } = await setUp('en', { reminders: [60] });
    await person(h, g2, '31617000003@c.us')(`/join ${cancelled.number}`);
    await h.api({ method: 'DELETE', url: `/v1/events/${cancelled.id}` });
    await h.flush();
    h.clock.advance(3 * 24 * HOUR + 10 * HOUR);
    await h.flush();
    expect(dm('31617000003@c.us')).toEqual([t('en', 'events.cancelledNotice', { title: 'AVG en privacy', when: 'Thu 5 March at 19:00' })]);
    h.clock.advance(-(3 * 24 * HOUR + 10 * HOUR));
  });
});
