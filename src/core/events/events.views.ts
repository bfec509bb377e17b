import { and, asc, eq, sql, type SQL } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  communities,
  eventAttendees,
  events,
  members,
  type AttendeeStatus,
  type Community,
  type EventKind,
  type EventRow,
} from '../../db/schema/index.js';
import { requireCommunity, type Actor } from '../access.js';
import { invalid, notFound } from '../errors.js';
import type { PageQuery } from '../page.js';
import { schoolHolidaysBetween, type SchoolHoliday } from './school-holidays.js';
import { counts } from './signup.js';
import { isoInZone, localDay } from './time.js';

/** What the activities service takes and gives: its input and view types, checks, and look-ups. */

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

export const MAX_REMINDER_MINUTES = 60 * 24 * 28;

/** A date from the API, or invalid naming the field. */
export function toDate(value: string | Date, field: string): Date {
  const date = value instanceof Date ? value : new Date(value);
  if (Number.isNaN(date.getTime())) throw invalid(`${field} is not a valid date-time`);
  return date;
}

/** Checks the event's fields together; the schema checked each on its own. */
export function checkEvent(e: Pick<EventRow, 'startsAt' | 'endsAt' | 'signupDeadline' | 'capacity' | 'reminderMinutes'>) {
  if (e.endsAt <= e.startsAt) throw invalid('endsAt must be after startsAt');
  if (e.endsAt.getTime() - e.startsAt.getTime() > 14 * 86_400_000) throw invalid('An event lasts 14 days at most');
  if (e.signupDeadline && e.signupDeadline > e.startsAt) throw invalid('signupDeadline must not be after startsAt');
  if (e.capacity !== null && (!Number.isInteger(e.capacity) || e.capacity < 1)) throw invalid('capacity must be at least 1, or null for no limit');
  if (e.reminderMinutes.some((m) => !Number.isInteger(m) || m < 1 || m > MAX_REMINDER_MINUTES)) {
    throw invalid(`reminders are whole minutes from 1 to ${MAX_REMINDER_MINUTES}`);
  }
}

/** The community row; not found when it is gone. */
export async function communityOf(tx: Tx, id: string): Promise<Community> {
  const [row] = await tx.select().from(communities).where(eq(communities.id, id));
  if (!row) throw notFound('Community');
  return row;
}

/** An event the actor may see (404 for another community's). */
export async function loadEvent(tx: Tx, actor: Actor, id: string): Promise<EventRow> {
  const [row] = await tx.select().from(events).where(eq(events.id, id));
  if (!row) throw notFound('Event');
  requireCommunity(actor, row.communityId, 'Event');
  return row;
}

/** Events as the API shows them. */
export async function eventViews(tx: Tx, rows: EventRow[], timeZone: string): Promise<EventView[]> {
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

/** An event's attendees: confirmed first, then the waiting list in order. */
export async function attendeeViews(tx: Tx, eventId: string, where?: SQL): Promise<AttendeeView[]> {
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
