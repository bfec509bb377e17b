import { and, asc, count, eq, gt, inArray, isNull, like, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  communities,
  eventAttendees,
  events,
  members,
  outbox,
  spaceMembers,
  spaces,
  type AttendeeStatus,
  type Community,
  type EventRow,
  type Language,
  type Member,
} from '../../db/schema/index.js';
import { addressOf } from '../channel.js';
import { t } from '../i18n/index.js';
import { broadcast } from '../outbox/broadcast.js';
import { channelOf, directAddresses } from '../outbox/direct.js';
import { enqueue, type OutboxMessage } from '../outbox/outbox.service.js';
import { formatWhen } from './format.js';

/**
 * Sign-up, the waiting list, and the messages they cause, inside the caller's transaction.
 *
 * Concurrency: every change to an event's attendees first locks the event's row
 * (`SELECT … FOR UPDATE`), so counting the confirmed places and inserting the sign-up happen as
 * one step: 30 members joining at once for 20 places gives exactly 20 confirmed and 10 waiting,
 * whichever transactions they arrive in. The lock is held until the transaction commits (for a
 * chat command, the end of its inbound batch).
 */

/** The word for a command in a language, for buttons: a button runs as if typed, in that language. */
const WORDS: Record<'join' | 'leave', Record<Language, string>> = {
  join: { en: 'join', nl: 'aanmelden' },
  leave: { en: 'leave', nl: 'afmelden' },
};

export const commandFor = (what: 'join' | 'leave', language: Language, number: number) => `${WORDS[what][language]} ${number}`;

/** A Join (or Leave) button for an event, in a language. */
export const button = (what: 'join' | 'leave', language: Language, number: number) => ({
  label: t(language, what === 'join' ? 'events.button.join' : 'events.button.leave', { number }),
  command: commandFor(what, language, number),
});

export const languageOf = (member: Pick<Member, 'language'>, community: Pick<Community, 'language'>): Language =>
  member.language ?? community.language;

/** The event with this number in the community, locked for the rest of the transaction. */
export async function lockEventByNumber(tx: Tx, communityId: string, number: number): Promise<EventRow | null> {
  const [row] = await tx
    .select()
    .from(events)
    .where(and(eq(events.communityId, communityId), eq(events.number, number)))
    .for('update');
  return row ?? null;
}

export async function lockEvent(tx: Tx, id: string): Promise<EventRow | null> {
  const [row] = await tx.select().from(events).where(eq(events.id, id)).for('update');
  return row ?? null;
}

/** How many are confirmed and waiting, per event. */
export async function counts(tx: Tx, eventIds: string[]): Promise<Map<string, Record<AttendeeStatus, number>>> {
  const result = new Map<string, Record<AttendeeStatus, number>>();
  for (const id of eventIds) result.set(id, { confirmed: 0, waiting: 0 });
  if (eventIds.length === 0) return result;
  const rows = await tx
    .select({ eventId: eventAttendees.eventId, status: eventAttendees.status, n: count() })
    .from(eventAttendees)
    .where(inArray(eventAttendees.eventId, eventIds))
    .groupBy(eventAttendees.eventId, eventAttendees.status);
  for (const row of rows) result.get(row.eventId)![row.status] = row.n;
  return result;
}

/** A member's place on an event's waiting list, counting from 1. */
async function waitingPosition(tx: Tx, eventId: string, seq: number): Promise<number> {
  const [row] = await tx
    .select({ n: count() })
    .from(eventAttendees)
    .where(and(eq(eventAttendees.eventId, eventId), eq(eventAttendees.status, 'waiting'), sql`${eventAttendees.seq} <= ${seq}`));
  return row!.n;
}

/** Why a sign-up is refused, if it is. */
export function signupClosed(event: EventRow, now: Date): 'cancelled' | 'past' | 'closed' | null {
  if (event.cancelledAt) return 'cancelled';
  if (event.startsAt <= now) return 'past';
  if (event.signupDeadline && event.signupDeadline < now) return 'closed';
  return null;
}

export type JoinOutcome =
  | { kind: 'confirmed' }
  | { kind: 'waiting'; position: number }
  | { kind: 'already-confirmed' }
  | { kind: 'already-waiting'; position: number }
  | { kind: 'cancelled' | 'past' | 'closed' };

/** Signs a member up for a locked event: a place if there is one, else the waiting list. */
export async function join(tx: Tx, community: Community, event: EventRow, member: Member, now: Date): Promise<JoinOutcome> {
  const [existing] = await tx
    .select()
    .from(eventAttendees)
    .where(and(eq(eventAttendees.eventId, event.id), eq(eventAttendees.memberId, member.id)));
  if (existing?.status === 'confirmed') return { kind: 'already-confirmed' };
  if (existing) return { kind: 'already-waiting', position: await waitingPosition(tx, event.id, existing.seq) };
  const closed = signupClosed(event, now);
  if (closed) return { kind: closed };
  const { confirmed } = (await counts(tx, [event.id])).get(event.id)!;
  const status: AttendeeStatus = event.capacity === null || confirmed < event.capacity ? 'confirmed' : 'waiting';
  const [row] = await tx
    .insert(eventAttendees)
    .values({ eventId: event.id, memberId: member.id, status, signedUpAt: now, createdAt: now, updatedAt: now })
    .returning();
  if (status === 'waiting') return { kind: 'waiting', position: await waitingPosition(tx, event.id, row!.seq) };
  await enqueue(tx, await attendeeReminders(tx, community, event, [member], now));
  return { kind: 'confirmed' };
}

export type LeaveOutcome = { kind: 'left'; was: AttendeeStatus; promoted: Member[] } | { kind: 'not-signed-up' };

/** Takes a member off a locked event; a freed place goes to the first on the waiting list. */
export async function leave(tx: Tx, community: Community, event: EventRow, memberId: string, now: Date): Promise<LeaveOutcome> {
  const [gone] = await tx
    .delete(eventAttendees)
    .where(and(eq(eventAttendees.eventId, event.id), eq(eventAttendees.memberId, memberId)))
    .returning();
  if (!gone) return { kind: 'not-signed-up' };
  await dropReminders(tx, event.id, memberId);
  const promoted = gone.status === 'confirmed' ? await promote(tx, community, event, now) : [];
  return { kind: 'left', was: gone.status, promoted };
}

/**
 * Moves members up from the waiting list while there are places (after someone left, or the
 * capacity went up), tells each, and schedules their reminders.
 */
export async function promote(tx: Tx, community: Community, event: EventRow, now: Date): Promise<Member[]> {
  if (event.cancelledAt || event.startsAt <= now) return [];
  const { confirmed } = (await counts(tx, [event.id])).get(event.id)!;
  const free = event.capacity === null ? Number.MAX_SAFE_INTEGER : event.capacity - confirmed;
  if (free <= 0) return [];
  const next = await tx
    .select({ member: members, seq: eventAttendees.seq })
    .from(eventAttendees)
    .innerJoin(members, eq(members.id, eventAttendees.memberId))
    .where(and(eq(eventAttendees.eventId, event.id), eq(eventAttendees.status, 'waiting')))
    .orderBy(asc(eventAttendees.seq))
    .limit(Math.min(free, 1000));
  if (next.length === 0) return [];
  await tx
    .update(eventAttendees)
    .set({ status: 'confirmed', updatedAt: now })
    .where(and(eq(eventAttendees.eventId, event.id), inArray(eventAttendees.memberId, next.map((n) => n.member.id))));
  const rows: OutboxMessage[] = [];
  for (const { member, seq } of next) {
    const language = languageOf(member, community);
    const text = t(language, 'events.promoted', {
      name: member.displayName,
      title: event.title,
      when: formatWhen(language, event.startsAt, community.timezone),
      number: event.number,
    });
    rows.push(...(await toMember(tx, community, member, `event:${event.id}:promoted:${member.id}:${seq}`, now, text, [button('leave', language, event.number)])));
  }
  rows.push(...(await attendeeReminders(tx, community, event, next.map((n) => n.member), now)));
  await enqueue(tx, rows);
  return next.map((n) => n.member);
}

/**
 * A message for one member: to their direct chat (WhatsApp, or the Teams personal chat they
 * opened with the bot), else to the community's spaces they are in (else all its spaces).
 */
export async function toMember(
  tx: Tx,
  community: Community,
  member: Member,
  key: string,
  now: Date,
  text: string,
  actions?: { label: string; command: string }[],
): Promise<OutboxMessage[]> {
  const address = (await directAddresses(tx, [member.id])).get(member.id);
  const payload = { text, ...(actions && { actions }) };
  if (address) {
    return [{ communityId: community.id, channel: channelOf(address), address, spaceId: null, memberId: member.id, payload, idempotencyKey: `${key}:${address}`, availableAt: now }];
  }
  const theirs = await tx
    .select({ space: spaces })
    .from(spaceMembers)
    .innerJoin(spaces, eq(spaces.id, spaceMembers.spaceId))
    .where(and(eq(spaceMembers.memberId, member.id), isNull(spaceMembers.leftAt), eq(spaces.communityId, community.id)));
  const where = theirs.length ? theirs.map((r) => r.space) : await communitySpaces(tx, community.id);
  return where.map((space) => ({
    communityId: community.id,
    channel: space.channel,
    address: addressOf(space.channel, space.externalId),
    spaceId: space.id,
    memberId: member.id,
    payload,
    idempotencyKey: `${key}:${space.id}`,
    availableAt: now,
  }));
}

export const communitySpaces = (tx: Tx, communityId: string) =>
  tx.select().from(spaces).where(eq(spaces.communityId, communityId)).orderBy(asc(spaces.createdAt));

/** ` Where: …` and ` Online: …`, for a message about the event. */
export function placeText(language: Language, event: EventRow): string {
  return (
    (event.location ? t(language, 'events.where.location', { location: event.location }) : '') +
    (event.onlineUrl ? t(language, 'events.where.online', { url: event.onlineUrl }) : '')
  );
}

export function placesText(language: Language, event: EventRow, tally: Record<AttendeeStatus, number>): string {
  if (event.capacity === null) return t(language, 'events.places.unlimited', { confirmed: tally.confirmed });
  if (tally.confirmed >= event.capacity) return t(language, 'events.places.full', { waiting: tally.waiting });
  return t(language, 'events.places.open', { confirmed: tally.confirmed, capacity: event.capacity });
}

/** The prefix of every reminder row an event has: they are found (and dropped) by it. */
const reminderPrefix = (eventId: string) => `event:${eventId}:reminder:`;

/**
 * The outbox is the scheduler: a reminder is a row whose availableAt is the start minus the
 * offset. The start is part of the key, so a moved event's new reminders are new rows even where
 * the old ones were already sent. Times already past are skipped.
 */
function reminderTimes(event: EventRow, now: Date): { minutes: number; at: Date }[] {
  return event.reminderMinutes
    .map((minutes) => ({ minutes, at: new Date(event.startsAt.getTime() - minutes * 60_000) }))
    .filter((r) => r.at > now);
}

/**
 * Reminders in their own chat for confirmed attendees who have one (see directAddresses): a
 * WhatsApp member's direct chat, a Teams member's personal chat with the bot once they opened
 * one. The others are reminded in the community's spaces (spaceReminders).
 */
export async function attendeeReminders(tx: Tx, community: Community, event: EventRow, attendees: Member[], now: Date): Promise<OutboxMessage[]> {
  if (event.cancelledAt) return [];
  const times = reminderTimes(event, now);
  if (times.length === 0 || attendees.length === 0) return [];
  const direct = await directAddresses(tx, attendees.map((m) => m.id));
  return attendees.flatMap((member) => {
    const address = direct.get(member.id);
    if (!address) return [];
    const language = languageOf(member, community);
    const text = t(language, 'events.reminder.attendee', {
      title: event.title,
      when: formatWhen(language, event.startsAt, community.timezone),
      place: placeText(language, event),
    });
    return times.map(({ minutes, at }) => ({
      communityId: community.id,
      channel: channelOf(address),
      address,
      spaceId: null,
      memberId: member.id,
      payload: { text, actions: [button('leave', language, event.number)] },
      idempotencyKey: `${reminderPrefix(event.id)}${event.startsAt.getTime()}:${minutes}:${address}`,
      availableAt: at,
    }));
  });
}

/**
 * Reminders in every space of the community, in its language, with a Join button. The count of
 * places is the one at writing time: the text is fixed when the row is written.
 */
export async function spaceReminders(tx: Tx, community: Community, event: EventRow, now: Date): Promise<OutboxMessage[]> {
  if (event.cancelledAt) return [];
  const times = reminderTimes(event, now);
  if (times.length === 0) return [];
  const language = community.language;
  const tally = (await counts(tx, [event.id])).get(event.id)!;
  const text = t(language, 'events.reminder.space', {
    title: event.title,
    when: formatWhen(language, event.startsAt, community.timezone),
    place: placeText(language, event),
    places: event.capacity === null ? '' : placesText(language, event, tally),
    number: event.number,
  }).replace(/ {2,}/g, ' ');
  return (await communitySpaces(tx, community.id)).flatMap((space) =>
    times.map(({ minutes, at }) => ({
      communityId: community.id,
      channel: space.channel,
      address: addressOf(space.channel, space.externalId),
      spaceId: space.id,
      memberId: null,
      payload: { text, actions: [button('join', language, event.number)] },
      idempotencyKey: `${reminderPrefix(event.id)}${event.startsAt.getTime()}:${minutes}:${space.id}`,
      availableAt: at,
    })),
  );
}

/** Drops an event's reminders not sent yet: all of them, or one member's. */
export async function dropReminders(tx: Tx, eventId: string, memberId?: string): Promise<void> {
  await tx
    .delete(outbox)
    .where(
      and(
        like(outbox.idempotencyKey, `${reminderPrefix(eventId)}%`),
        eq(outbox.status, 'pending'),
        memberId ? eq(outbox.memberId, memberId) : undefined,
      ),
    );
}

/** The confirmed attendees of an event, in sign-up order. */
export async function confirmedAttendees(tx: Tx, eventId: string): Promise<Member[]> {
  const rows = await tx
    .select({ member: members })
    .from(eventAttendees)
    .innerJoin(members, eq(members.id, eventAttendees.memberId))
    .where(and(eq(eventAttendees.eventId, eventId), eq(eventAttendees.status, 'confirmed')))
    .orderBy(asc(eventAttendees.seq));
  return rows.map((r) => r.member);
}

/** Every reminder of an event again, after it moved or its reminder times changed. */
export async function rescheduleReminders(tx: Tx, community: Community, event: EventRow, now: Date): Promise<void> {
  await dropReminders(tx, event.id);
  await enqueue(tx, [
    ...(await spaceReminders(tx, community, event, now)),
    ...(await attendeeReminders(tx, community, event, await confirmedAttendees(tx, event.id), now)),
  ]);
}

/** A message about the event to each member signed up (confirmed or waiting), in their language. */
export async function tellAttendees(
  tx: Tx,
  community: Community,
  event: EventRow,
  key: string,
  now: Date,
  text: (language: Language) => string,
): Promise<void> {
  const rows = await tx
    .select({ member: members })
    .from(eventAttendees)
    .innerJoin(members, eq(members.id, eventAttendees.memberId))
    .where(eq(eventAttendees.eventId, event.id))
    .orderBy(asc(eventAttendees.seq));
  const direct = await directAddresses(tx, rows.map((r) => r.member.id));
  const out: OutboxMessage[] = [];
  for (const { member } of rows) {
    const address = direct.get(member.id);
    if (!address) continue;
    out.push({
      communityId: community.id,
      channel: channelOf(address),
      address,
      spaceId: null,
      memberId: member.id,
      payload: { text: text(languageOf(member, community)) },
      idempotencyKey: `event:${event.id}:${key}:${address}`,
      availableAt: now,
    });
  }
  await enqueue(tx, out);
}

/** A message about the event to every space of the community, in its language; returns how many. */
export async function tellSpaces(
  tx: Tx,
  community: Community,
  event: EventRow,
  key: string,
  now: Date,
  text: string,
  actions?: { label: string; command: string }[],
): Promise<number> {
  return broadcast(tx, community.id, `event:${event.id}:${key}`, { text, ...(actions && { actions }) }, now);
}

/**
 * Members who just became reachable in their own chat (a Teams member opened a personal chat
 * with the bot): the reminders still to come for the activities they are confirmed for, there.
 * Reminder keys carry the address, so one already queued is not queued twice.
 */
export async function remindNewlyReachable(tx: Tx, memberIds: string[], now: Date): Promise<void> {
  const rows = await tx
    .select({ event: events, community: communities, member: members })
    .from(eventAttendees)
    .innerJoin(events, eq(events.id, eventAttendees.eventId))
    .innerJoin(communities, eq(communities.id, events.communityId))
    .innerJoin(members, eq(members.id, eventAttendees.memberId))
    .where(and(inArray(eventAttendees.memberId, memberIds), eq(eventAttendees.status, 'confirmed'), isNull(events.cancelledAt), gt(events.startsAt, now)))
    .limit(200);
  for (const { event, community, member } of rows) await enqueue(tx, await attendeeReminders(tx, community, event, [member], now));
}
