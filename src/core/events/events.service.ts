import { and, asc, count, eq, gte, inArray, isNull, lt } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { eventAttendees, events, members, organisations, DEFAULT_REMINDER_MINUTES, type AttendeeStatus, type Community, type Member } from '../../db/schema/index.js';
import { requireExistingCommunity, type Actor } from '../access.js';
import { CoreError, invalid, notFound } from '../errors.js';
import { t } from '../i18n/index.js';
import { paging, type Page, type PageQuery } from '../page.js';
import { createCalendarService } from './calendar.service.js';
import {
  attendeeViews,
  checkEvent,
  communityOf,
  eventViews,
  loadEvent,
  toDate,
  type AttendeeView,
  type EventInput,
  type EventListQuery,
  type EventPatch,
  type EventView,
} from './events.views.js';
import { formatWhen } from './format.js';
import { insertEvent, tellManagersOfHolidays } from './plan.js';
import {
  join,
  leave,
  lockEvent,
  promote,
  rescheduleReminders,
  dropReminders,
  tellAttendees,
  tellSpaces,
  type JoinOutcome,
} from './signup.js';

export { holidayWarnings, type AttendeeView, type EventInput, type EventListQuery, type EventPatch, type EventView, type Warning } from './events.views.js';

/** Activities through the API: plan, change, cancel, sign-up on someone's behalf, attendance. */
export function createActivitiesService(db: Db, clock: () => Date, onQueued: () => void) {
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
        const { event, community: c } = await insertEvent(tx, communityId, fields, now, input.announce !== false);
        await tellManagersOfHolidays(tx, c, event, now);
        return (await eventViews(tx, [event], c.timezone))[0]!;
      });
    },

    async list(actor: Actor, communityId: string, query: EventListQuery): Promise<Page<EventView>> {
      await requireExistingCommunity(db, actor, communityId);
      const c = await communityOf(db, communityId);
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
      return { items: await eventViews(db, rows, c.timezone), total: total!.n, limit, offset };
    },

    async get(actor: Actor, id: string): Promise<EventView> {
      const event = await loadEvent(db, actor, id);
      return (await eventViews(db, [event], (await communityOf(db, event.communityId)).timezone))[0]!;
    },

    async update(actor: Actor, id: string, patch: EventPatch): Promise<EventView> {
      await loadEvent(db, actor, id);
      const now = clock();
      return write(async (tx) => {
        const current = (await lockEvent(tx, id))!;
        if (current.cancelledAt) throw new CoreError('conflict', 'The event is cancelled');
        const c = await communityOf(tx, current.communityId);
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
        if (moved || next.endsAt !== undefined) await tellManagersOfHolidays(tx, c, row, now);
        if (moved) {
          await tellAttendees(tx, c, row, `moved:${row.startsAt.getTime()}`, now, (language) =>
            t(language, 'events.moved', { title: row.title, when: formatWhen(language, row.startsAt, c.timezone) }),
          );
        }
        return (await eventViews(tx, [row], c.timezone))[0]!;
      });
    },

    /** Cancels an event: its reminders are dropped and attendees and spaces are told. */
    async cancel(actor: Actor, id: string): Promise<void> {
      await loadEvent(db, actor, id);
      const now = clock();
      await write(async (tx) => {
        const current = (await lockEvent(tx, id))!;
        if (current.cancelledAt) return;
        const [event] = await tx.update(events).set({ cancelledAt: now, updatedAt: now }).where(eq(events.id, id)).returning();
        const c = await communityOf(tx, current.communityId);
        await dropReminders(tx, id);
        const text = (language: Community['language']) =>
          t(language, 'events.cancelledNotice', { title: event!.title, when: formatWhen(language, event!.startsAt, c.timezone) });
        await tellAttendees(tx, c, event!, 'cancelled', now, text);
        await tellSpaces(tx, c, event!, 'cancelled', now, text(c.language));
      });
    },

    async attendees(actor: Actor, id: string, query: PageQuery & { status?: AttendeeStatus }): Promise<Page<AttendeeView>> {
      await loadEvent(db, actor, id);
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
      await loadEvent(db, actor, id);
      const now = clock();
      return write(async (tx) => {
        const event = (await lockEvent(tx, id))!;
        const c = await communityOf(tx, event.communityId);
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
      await loadEvent(db, actor, id);
      const now = clock();
      await write(async (tx) => {
        const event = (await lockEvent(tx, id))!;
        const c = await communityOf(tx, event.communityId);
        const outcome = await leave(tx, c, event, memberId, now);
        if (outcome.kind === 'not-signed-up') throw notFound('Attendee');
      });
    },

    /** Records who came (and who did not): the engagement figures the seeds counted by hand. */
    async recordAttendance(actor: Actor, id: string, input: { present?: string[]; absent?: string[] }): Promise<AttendeeView[]> {
      await loadEvent(db, actor, id);
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

    ...createCalendarService(db, clock),
  };
}

export type ActivitiesService = ReturnType<typeof createActivitiesService>;
