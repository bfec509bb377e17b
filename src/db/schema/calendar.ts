import { sql } from 'drizzle-orm';
import { index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities } from './communities.js';
import { members } from './members.js';
import { id, timestamps, tstz } from './columns.js';

export const CALENDAR_KINDS = ['announcement', 'poll'] as const;
export type CalendarKind = (typeof CALENDAR_KINDS)[number];

/** The poll a calendar item asks each time it runs. */
export interface CalendarPoll {
  question: string;
  options: string[];
  multiple: boolean;
  anonymous: boolean;
  /** The poll closes this long after it is posted; null: it stays open until closed by hand. */
  closesAfterMinutes: number | null;
}

/**
 * A planned item of the content calendar (seed 002: "a daily planning of content and
 * interaction"): once at `at`, or on a cron recurrence in the community's timezone. The
 * scheduler claims it when `next_run_at` has come and moves `next_run_at` on in the same
 * transaction as the messages it queues, so a run happens once however many servers look.
 */
export const calendarItems = pgTable(
  'calendar_items',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    kind: text('kind').$type<CalendarKind>().notNull(),
    /** The announcement's text (kind announcement). */
    text: text('text'),
    /** The poll to ask (kind poll). */
    poll: jsonb('poll').$type<CalendarPoll | null>(),
    /** A one-off item's time; null for a recurring one. */
    at: tstz('at'),
    /** A recurring item's five-field cron expression, in the community's timezone. */
    cron: text('cron'),
    /** When it runs next; null once a one-off item has run (or a cron never runs again). */
    nextRunAt: tstz('next_run_at'),
    lastRunAt: tstz('last_run_at'),
    /** How many times it ran. */
    runs: integer('runs').notNull().default(0),
    /** Why the last run could not do its work (e.g. the community has no spaces), or null. */
    lastError: text('last_error'),
    ...timestamps,
  },
  (t) => [
    index('calendar_items_community_idx').on(t.communityId, t.createdAt),
    // The scheduler looks for items whose time has come.
    index('calendar_items_due_idx').on(t.nextRunAt).where(sql`next_run_at is not null`),
  ],
);
export type CalendarItem = typeof calendarItems.$inferSelect;

/**
 * A message to every group and channel of a community: sent at once, at `send_at`, or by a
 * calendar item. `space_ids` records where it went, so its delivery per space can be shown
 * from the outbox rows (idempotency key `announcement:<id>:<space id>`).
 */
export const announcements = pgTable(
  'announcements',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    text: text('text').notNull(),
    /** When it goes (or went) out. */
    sendAt: tstz('send_at').notNull(),
    sentAt: tstz('sent_at'),
    cancelledAt: tstz('cancelled_at'),
    /** The spaces it was queued to, when it was sent. */
    spaceIds: jsonb('space_ids').$type<string[]>().notNull().default([]),
    /** Sent from chat (`announce …`) by this member; null when made through the API or the calendar. */
    createdById: uuid('created_by_id').references(() => members.id, { onDelete: 'set null' }),
    /** The calendar item that sent it, and which of its runs (one announcement per run). */
    calendarItemId: uuid('calendar_item_id').references(() => calendarItems.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    index('announcements_community_idx').on(t.communityId, t.sendAt),
    // The scheduler looks for scheduled announcements whose time has come.
    index('announcements_due_idx').on(t.sendAt).where(sql`sent_at is null and cancelled_at is null`),
    uniqueIndex('announcements_calendar_run_key').on(t.calendarItemId, t.sendAt),
  ],
);
export type Announcement = typeof announcements.$inferSelect;
