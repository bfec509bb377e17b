import { bigint, boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities } from './communities.js';
import { members, organisations } from './members.js';
import { id, timestamps, tstz } from './columns.js';

/** The kinds of activity a community runs (seed 004: webinars, intervision; seed 003: meetups, outings). */
export const EVENT_KINDS = ['webinar', 'meetup', 'intervision', 'social'] as const;
export type EventKind = (typeof EVENT_KINDS)[number];

export const ATTENDEE_STATUSES = ['confirmed', 'waiting'] as const;
export type AttendeeStatus = (typeof ATTENDEE_STATUSES)[number];

/** Reminders before the start, in minutes, unless an event says otherwise: a day and an hour. */
export const DEFAULT_REMINDER_MINUTES = [24 * 60, 60];

/** An activity (activiteit): a webinar, meetup, intervision group or social outing. */
export const events = pgTable(
  'events',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    /** A short number per community for chat (`join 3`); never reused, not even after a cancel. */
    number: integer('number').notNull(),
    kind: text('kind').$type<EventKind>().notNull(),
    title: text('title').notNull(),
    description: text('description').notNull().default(''),
    startsAt: tstz('starts_at').notNull(),
    endsAt: tstz('ends_at').notNull(),
    location: text('location'),
    onlineUrl: text('online_url'),
    /** The member organisation hosting it this time (activities are hosted in turn). */
    hostOrganisationId: uuid('host_organisation_id').references(() => organisations.id, { onDelete: 'set null' }),
    /** Places; null for no limit. Beyond it, sign-ups go on the waiting list. */
    capacity: integer('capacity'),
    signupDeadline: tstz('signup_deadline'),
    /** Minutes before the start at which attendees and spaces are reminded. */
    reminderMinutes: jsonb('reminder_minutes').$type<number[]>().notNull().default(DEFAULT_REMINDER_MINUTES),
    cancelledAt: tstz('cancelled_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('events_community_number_key').on(t.communityId, t.number),
    index('events_community_starts_idx').on(t.communityId, t.startsAt),
  ],
);
export type EventRow = typeof events.$inferSelect;
export type NewEventRow = typeof events.$inferInsert;

/** A member signed up for an event: confirmed, or on the waiting list in sign-up order. */
export const eventAttendees = pgTable(
  'event_attendees',
  {
    eventId: uuid('event_id')
      .notNull()
      .references(() => events.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    status: text('status').$type<AttendeeStatus>().notNull(),
    /** Sign-up order: the waiting list moves up in it (one transaction's rows share a now()). */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    signedUpAt: tstz('signed_up_at').notNull().defaultNow(),
    /** Who came, recorded afterwards; null until then. */
    attended: boolean('attended'),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.eventId, t.memberId] }), index('event_attendees_member_idx').on(t.memberId)],
);
export type EventAttendee = typeof eventAttendees.$inferSelect;

/**
 * The secret of a community's calendar feed (`calendar.ics?token=…`): calendar apps cannot send
 * a bearer token, so the URL is the credential. Only a hash is kept; rotating it cuts off old URLs.
 */
export const calendarFeeds = pgTable('calendar_feeds', {
  communityId: uuid('community_id')
    .primaryKey()
    .references(() => communities.id, { onDelete: 'cascade' }),
  tokenHash: text('token_hash').notNull().unique(),
  ...timestamps,
});
