import { createHash, randomBytes } from 'node:crypto';
import { and, asc, count, eq, gte, inArray, isNull, lt, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  calendarFeeds,
  communities,
  eventAttendees,
  events,
  members,
  organisations,
  DEFAULT_REMINDER_MINUTES,
  type AttendeeStatus,
  type Community,
  type EventKind,
  type EventRow,
  type Member,
} from '../../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from '../access.js';
import { CoreError, invalid, notFound } from '../errors.js';
import { t } from '../i18n/index.js';
import { paging, type Page, type PageQuery } from '../page.js';
import { formatWhen } from './format.js';
import { buildCalendar } from './ics.js';
import { schoolHolidaysBetween, type SchoolHoliday } from './school-holidays.js';
import {
  button,
  counts,
  join,
  leave,
  lockEvent,
  placeText,
  promote,
  rescheduleReminders,
  dropReminders,
  spaceReminders,
  tellAttendees,
  tellSpaces,
  type JoinOutcome,
} from './signup.js';
import { isoInZone, localDay } from './time.js';
import { nextNumber } from '../numbering.js';
import { enqueue } from '../outbox/outbox.service.js';

export interface EventInput {
  kind: EventKind;
  title: string;
  description?: string;
  startsAt: string | Date;
  endsAt: string | Date;
  location?: string | null;
  onlineUrl?: string | null;
  hostOrganisationId?: string | null;
  capacity?: number | null;
  signupDeadline?: string | Date | null;
  /** Minutes before the start to remind; default a day and an hour. */
  reminders?: number[];
  /** Post it to the community's spaces with a Join button (default true). */
  announce?: boolean;
}
export type EventPatch = Partial<Omit<EventInput, 'announce'>>;

export interface Warning {
  code: 'school-holiday';
  message: string;
  region: string;
  holiday: string;
  from: string;
  to: string;
}

/** An event as the API shows it: times in the community's timezone, counts, and planning warnings. */
export interface EventView {
  id: string;
  communityId: string;
  number: number;
  kind: EventKind;
  title: string;
  description: string;
  startsAt: string;
  endsAt: string;
  timezone: string;
  location: string | null;
  onlineUrl: string | null;
  hostOrganisationId: string | null;
  capacity: number | null;
  signupDeadline: string | null;
  reminders: number[];
  cancelledAt: string | null;
  confirmed: number;
  waiting: number;
  warnings: Warning[];
  createdAt: Date;
  updatedAt: Date;
}

export interface AttendeeView {
  memberId: string;
  displayName: string;
  organisationId: string | null;
  status: AttendeeStatus;
  /** Place on the waiting list, from 1; null when confirmed. */
  position: number | null;
  signedUpAt: Date;
  attended: boolean | null;
}

export interface EventListQuery extends PageQuery {
  /** Only events ending after this time (default: now, i.e. upcoming and running). */
  from?: string;
  to?: string;
  includeCancelled?: boolean;
}

const HOLIDAY_NAMES: Record<SchoolHoliday['holiday'], string> = {
  autumn: 'autumn holiday (herfstvakantie)',
  christmas: 'Christmas holiday (kerstvakantie)',
  spring: 'spring holiday (voorjaarsvakantie)',
  may: 'May holiday (meivakantie)',
  summer: 'summer holiday (zomervakantie)',
};

/** School-holiday warnings for an event's local days (seed 003: holidays differ per region). */
export function holidayWarnings(event: Pick<EventRow, 'startsAt' | 'endsAt'>, timeZone: string): Warning[] {
  return schoolHolidaysBetween(localDay(event.startsAt, timeZone), localDay(event.endsAt, timeZone)).map((h) => ({
    code: 'school-holiday',
    message: `Falls in the ${HOLIDAY_NAMES[h.holiday]} of region ${h.region} (${h.from} to ${h.to}, school year ${h.schoolYear})`,
    region: h.region,
    holiday: h.holiday,
    from: h.from,
    to: h.to,
  }));
}

const hashFeedToken = (token: string) => createHash('sha256').update(token).digest('hex');

export const MAX_REMINDER_MINUTES = 60 * 24 * 28;

function toDate(value: string | Date, field: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid(`${field} is not a valid date-time`);
  return date;
}

/** Checks the event's fields together; the schema checked each on its own. */
function checkEvent(e: Pick<EventRow, 'startsAt' | 'endsAt' | 'signupDeadline' | 'capacity' | 'reminderMinutes'>) {
  if (e.endsAt <= e.startsAt) throw invalid('endsAt must be after startsAt');
  if (e.endsAt.getTime() - e.startsAt.getTime() > 14 * 86_400_000) throw invalid('An event lasts 14 days at most');
  if (e.signupDeadline && e.signupDeadline > e.startsAt) throw invalid('signupDeadline must not be after startsAt');
  if (e.capacity !== null && (!Number.isInteger(e.capacity) || e.capacity < 1)) throw invalid('capacity must be at least 1, or null for no limit');
  if (e.reminderMinutes.some((m) => !Number.isInteger(m) || m < 1 || m > MAX_REMINDER_MINUTES)) {
    throw invalid(`reminders are whole minutes from 1 to ${MAX_REMINDER_MINUTES}`);
  }
}

export function createActivitiesService(db: Db, clock: () => Date, onQueued: () => void) {
  async function community(tx: Tx, id: string): Promise<Community> {
    const [row] = await tx.select().from(communities).where(eq(communities.id, id));
    if (!row) throw notFound('Community');
    return row;
  }

  async function load(tx: Tx, actor: Actor, id: string): Promise<EventRow> {
    const [row] = await tx.select().from(events).where(eq(events.id, id));
    if (!row) throw notFound('Event');
    requireCommunity(actor, row.communityId, 'Event');
    return row;
  }

  async function views(tx: Tx, rows: EventRow[], timeZone: string): Promise<EventView[]> {
    const tally = await counts(tx, rows.map((r) => r.id));
    return rows.map((e) => ({
      id: e.id,
      communityId: e.communityId,
      number: e.number,
      kind: e.kind,
      title: e.title,
      description: e.description,
      startsAt: isoInZone(e.startsAt, timeZone),
      endsAt: isoInZone(e.endsAt, timeZone),
      timezone: timeZone,
      location: e.location,
      onlineUrl: e.onlineUrl,
      hostOrganisationId: e.hostOrganisationId,
      capacity: e.capacity,
      signupDeadline: e.signupDeadline && isoInZone(e.signupDeadline, timeZone),
      reminders: e.reminderMinutes,
      cancelledAt: e.cancelledAt && isoInZone(e.cancelledAt, timeZone),
      ...tally.get(e.id)!,
      warnings: holidayWarnings(e, timeZone),
      createdAt: e.createdAt,
      updatedAt: e.updatedAt,
    }));
  }

  async function checkHost(tx: Tx, communityId: string, organisationId: string | null | undefined) {
    if (!organisationId) return;
    const [row] = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.id, organisationId), eq(organisations.communityId, communityId)));
    if (!row) throw invalid('hostOrganisationId must be an organisation taking part in this community');
  }

  async function memberOf(tx: Tx, communityId: string, memberId: string): Promise<Member> {
    const [row] = await tx.select().from(members).where(and(eq(members.id, memberId), eq(members.communityId, communityId)));
    if (!row) throw invalid('memberId must be a member of this community');
    return row;
  }

  async function attendeeViews(tx: Tx, eventId: string, where?: SQL): Promise<AttendeeView[]> {
    const rows = await tx
      .select({ a: eventAttendees, m: members })
      .from(eventAttendees)
      .innerJoin(members, eq(members.id, eventAttendees.memberId))
      .where(and(eq(eventAttendees.eventId, eventId), where))
      .orderBy(sql`case ${eventAttendees.status} when 'confirmed' then 0 else 1 end`, asc(eventAttendees.seq));
    let position = 0;
    return rows.map(({ a, m }) => ({
      memberId: m.id,
      displayName: m.displayName,
      organisationId: m.organisationId,
      status: a.status,
      position: a.status === 'waiting' ? ++position : null,
      signedUpAt: a.signedUpAt,
      attended: a.attended,
    }));
  }

  /** Runs work in a transaction and wakes the dispatcher after it committed. */
  async function write<T>(work: (tx: Tx) => Promise<T>): Promise<T> {
    const result = await db.transaction(work);
    onQueued();
    return result;
  }

  return {
    async create(actor: Actor, communityId: string, input: EventInput): Promise<EventView> {
      await requireExistingCommunity(db, actor, communityId);
      const now = clock();
      const fields = {
        kind: input.kind,
        title: input.title.trim(),
        description: input.description?.trim() ?? '',
        startsAt: toDate(input.startsAt, 'startsAt'),
        endsAt: toDate(input.endsAt, 'endsAt'),
        location: input.location?.trim() || null,
        onlineUrl: input.onlineUrl || null,
        hostOrganisationId: input.hostOrganisationId ?? null,
        capacity: input.capacity ?? null,
        signupDeadline: input.signupDeadline ? toDate(input.signupDeadline, 'signupDeadline') : null,
        reminderMinutes: [...new Set(input.reminders ?? DEFAULT_REMINDER_MINUTES)].sort((a, b) => b - a),
      };
      checkEvent(fields);
      if (fields.startsAt <= now) throw invalid('startsAt must be in the future');
      return write(async (tx) => {
        await checkHost(tx, communityId, fields.hostOrganisationId);
        const { community: c, number } = await nextNumber(tx, communityId, events);
        const [event] = await tx
          .insert(events)
          .values({ communityId, number, ...fields, createdAt: now, updatedAt: now })
          .returning();
        await enqueue(tx, await spaceReminders(tx, c, event!, now));
        if (input.announce !== false) {
          const language = c.language;
          const text = t(language, 'events.announce', {
            number: event!.number,
            kind: t(language, `events.kind.${event!.kind}`),
            title: event!.title,
            when: formatWhen(language, event!.startsAt, c.timezone),
            place: placeText(language, event!),
          });
          await tellSpaces(tx, c, event!, 'announce', now, text, [button('join', language, event!.number)]);
        }
        return (await views(tx, [event!], c.timezone))[0]!;
      });
    },

    async list(actor: Actor, communityId: string, query: EventListQuery): Promise<Page<EventView>> {
      await requireExistingCommunity(db, actor, communityId);
      const c = await community(db, communityId);
      const from = query.from ? toDate(query.from, 'from') : clock();
      const where = and(
        eq(events.communityId, communityId),
        gte(events.endsAt, from),
        query.to ? lt(events.startsAt, toDate(query.to, 'to')) : undefined,
        query.includeCancelled ? undefined : isNull(events.cancelledAt),
      );
      const { limit, offset } = paging(query);
      const [rows, [total]] = await Promise.all([
        db.select().from(events).where(where).orderBy(asc(events.startsAt), asc(events.number)).limit(limit).offset(offset),
        db.select({ n: count() }).from(events).where(where),
      ]);
      return { items: await views(db, rows, c.timezone), total: total!.n, limit, offset };
    },

    async get(actor: Actor, id: string): Promise<EventView> {
      const event = await load(db, actor, id);
      return (await views(db, [event], (await community(db, event.communityId)).timezone))[0]!;
    },

    async update(actor: Actor, id: string, patch: EventPatch): Promise<EventView> {
      await load(db, actor, id);
      const now = clock();
      return write(async (tx) => {
        const current = (await lockEvent(tx, id))!;
        if (current.cancelledAt) throw new CoreError('conflict', 'The event is cancelled');
        const c = await community(tx, current.communityId);
        const next = {
          ...(patch.kind !== undefined && { kind: patch.kind }),
          ...(patch.title !== undefined && { title: patch.title.trim() }),
          ...(patch.description !== undefined && { description: patch.description.trim() }),
          ...(patch.startsAt !== undefined && { startsAt: toDate(patch.startsAt, 'startsAt') }),
          ...(patch.endsAt !== undefined && { endsAt: toDate(patch.endsAt, 'endsAt') }),
          ...(patch.location !== undefined && { location: patch.location?.trim() || null }),
          ...(patch.onlineUrl !== undefined && { onlineUrl: patch.onlineUrl || null }),
          ...(patch.hostOrganisationId !== undefined && { hostOrganisationId: patch.hostOrganisationId }),
          ...(patch.capacity !== undefined && { capacity: patch.capacity }),
          ...(patch.signupDeadline !== undefined && { signupDeadline: patch.signupDeadline ? toDate(patch.signupDeadline, 'signupDeadline') : null }),
          ...(patch.reminders !== undefined && { reminderMinutes: [...new Set(patch.reminders)].sort((a, b) => b - a) }),
        };
        const merged = { ...current, ...next };
        checkEvent(merged);
        const moved = merged.startsAt.getTime() !== current.startsAt.getTime();
        if (moved && merged.startsAt <= now) throw invalid('startsAt must be in the future');
        await checkHost(tx, c.id, next.hostOrganisationId);
        const [event] = await tx.update(events).set({ ...next, updatedAt: now }).where(eq(events.id, id)).returning();
        const row = event!;
        // More places: the waiting list moves up (fewer places never turns anyone away).
        await promote(tx, c, row, now);
        const remindersChanged = moved || next.reminderMinutes !== undefined || next.title !== undefined || next.location !== undefined || next.onlineUrl !== undefined;
        if (remindersChanged) await rescheduleReminders(tx, c, row, now);
        if (moved) {
          await tellAttendees(tx, c, row, `moved:${row.startsAt.getTime()}`, now, (language) =>
            t(language, 'events.moved', { title: row.title, when: formatWhen(language, row.startsAt, c.timezone) }),
          );
        }
        return (await views(tx, [row], c.timezone))[0]!;
      });
    },

    /** Cancels an event: its reminders are dropped and attendees and spaces are told. */
    async cancel(actor: Actor, id: string): Promise<void> {
      await load(db, actor, id);
      const now = clock();
      await write(async (tx) => {
        const current = (await lockEvent(tx, id))!;
        if (current.cancelledAt) return;
        const [event] = await tx.update(events).set({ cancelledAt: now, updatedAt: now }).where(eq(events.id, id)).returning();
        const c = await community(tx, current.communityId);
        await dropReminders(tx, id);
        const text = (language: Community['language']) =>
          t(language, 'events.cancelledNotice', { title: event!.title, when: formatWhen(language, event!.startsAt, c.timezone) });
        await tellAttendees(tx, c, event!, 'cancelled', now, text);
        await tellSpaces(tx, c, event!, 'cancelled', now, text(c.language));
      });
    },

    async attendees(actor: Actor, id: string, query: PageQuery & { status?: AttendeeStatus }): Promise<Page<AttendeeView>> {
      await load(db, actor, id);
      const all = await attendeeViews(db, id, query.status ? eq(eventAttendees.status, query.status) : undefined);
      const { limit, offset } = paging(query);
      return { items: all.slice(offset, offset + limit), total: all.length, limit, offset };
    },

    /** Signs a member up on their behalf (e.g. someone who asked the manager by phone). */
    async signUp(
      actor: Actor,
      id: string,
      memberId: string,
    ): Promise<{ outcome: Exclude<JoinOutcome['kind'], 'cancelled' | 'past' | 'closed'>; attendee: AttendeeView | null }> {
      await load(db, actor, id);
      const now = clock();
      return write(async (tx) => {
        const event = (await lockEvent(tx, id))!;
        const c = await community(tx, event.communityId);
        const member = await memberOf(tx, c.id, memberId);
        const outcome = await join(tx, c, event, member, now);
        if (outcome.kind === 'cancelled') throw new CoreError('conflict', 'The event is cancelled');
        if (outcome.kind === 'past') throw new CoreError('conflict', 'The event has started');
        if (outcome.kind === 'closed') throw new CoreError('conflict', 'Sign-up has closed');
        const [attendee] = await attendeeViews(tx, id, eq(eventAttendees.memberId, memberId));
        return { outcome: outcome.kind, attendee: attendee ?? null };
      });
    },

    /** Signs a member off; a freed place goes to the first on the waiting list. */
    async signOff(actor: Actor, id: string, memberId: string): Promise<void> {
      await load(db, actor, id);
      const now = clock();
      await write(async (tx) => {
        const event = (await lockEvent(tx, id))!;
        const c = await community(tx, event.communityId);
        const outcome = await leave(tx, c, event, memberId, now);
        if (outcome.kind === 'not-signed-up') throw notFound('Attendee');
      });
    },

    /** Records who came (and who did not): the engagement figures the seeds counted by hand. */
    async recordAttendance(actor: Actor, id: string, input: { present?: string[]; absent?: string[] }): Promise<AttendeeView[]> {
      await load(db, actor, id);
      const now = clock();
      return write(async (tx) => {
        const event = (await lockEvent(tx, id))!;
        const present = [...new Set(input.present ?? [])];
        const absent = [...new Set(input.absent ?? [])];
        if (present.some((m) => absent.includes(m))) throw invalid('A member cannot be both present and absent');
        const everyone = [...present, ...absent];
        if (everyone.length) {
          const known = await tx
            .select({ id: members.id })
            .from(members)
            .where(and(eq(members.communityId, event.communityId), inArray(members.id, everyone)));
          if (known.length !== everyone.length) throw invalid('Every member must belong to this community');
        }
        // Someone who came without signing up counts as a confirmed attendee who came.
        if (present.length) {
          await tx
            .insert(eventAttendees)
            .values(present.map((memberId) => ({ eventId: id, memberId, status: 'confirmed' as const, signedUpAt: now, attended: true, createdAt: now, updatedAt: now })))
            .onConflictDoUpdate({ target: [eventAttendees.eventId, eventAttendees.memberId], set: { attended: true, updatedAt: now } });
        }
        if (absent.length) {
          await tx
            .update(eventAttendees)
            .set({ attended: false, updatedAt: now })
            .where(and(eq(eventAttendees.eventId, id), inArray(eventAttendees.memberId, absent)));
        }
        return attendeeViews(tx, id);
      });
    },

    /** One event as an iCalendar file. */
    async ics(actor: Actor, id: string): Promise<string> {
      const event = await load(db, actor, id);
      const c = await community(db, event.communityId);
      return buildCalendar({ name: c.name, timeZone: c.timezone, events: [event], now: clock(), host: 'samen', hosts: await hostNames(db, [event]) });
    },

    /**
     * A new secret for the community's calendar feed; the old URL stops working. The token is
     * shown once: only its hash is kept.
     */
    async rotateFeedToken(actor: Actor, communityId: string): Promise<{ token: string }> {
      await requireExistingCommunity(db, actor, communityId);
      const token = randomBytes(24).toString('base64url');
      const now = clock();
      await db
        .insert(calendarFeeds)
        .values({ communityId, tokenHash: hashFeedToken(token), createdAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: calendarFeeds.communityId, set: { tokenHash: hashFeedToken(token), updatedAt: now } });
      return { token };
    },

    /**
     * The community's feed for calendar apps, for whoever holds the secret: the events of the
     * last 90 days and all to come, cancelled ones marked so subscribed calendars drop them.
     */
    async feed(communityId: string, token: string): Promise<string> {
      const [feed] = await db
        .select({ communityId: calendarFeeds.communityId })
        .from(calendarFeeds)
        .where(eq(calendarFeeds.tokenHash, hashFeedToken(token)));
      // The same answer for a wrong token and an unknown community: a probe learns nothing.
      if (!feed || feed.communityId !== communityId) throw notFound('Calendar');
      const c = await community(db, communityId);
      const now = clock();
      const rows = await db
        .select()
        .from(events)
        .where(and(eq(events.communityId, communityId), gte(events.endsAt, new Date(now.getTime() - 90 * 86_400_000))))
        .orderBy(asc(events.startsAt))
        .limit(1000);
      return buildCalendar({ name: c.name, timeZone: c.timezone, events: rows, now, host: 'samen', hosts: await hostNames(db, rows) });
    },
  };
}

async function hostNames(tx: Tx, rows: EventRow[]): Promise<Map<string, string>> {
  const ids = [...new Set(rows.flatMap((r) => (r.hostOrganisationId ? [r.hostOrganisationId] : [])))];
  if (ids.length === 0) return new Map();
  const found = await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(inArray(organisations.id, ids));
  return new Map(found.map((o) => [o.id, o.name]));
}

export type ActivitiesService = ReturnType<typeof createActivitiesService>;
