import { and, eq, gte, isNotNull, isNull, lt } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { announcements, calendarItems, events, polls, type CalendarItem, type Community } from '../../db/schema/index.js';
import { MAX_REMINDER_MINUTES } from '../events/events.views.js';
import { parseCron, runsBetween } from './cron.js';

/** One thing planned in a community's content calendar, whichever feature plans it. */
export interface CalendarEntry {
  at: Date;
  /** The feature it belongs to, which names `id` in its own API: calendar, announcement, event, poll, … */
  source: string;
  /** What happens then: announcement, poll, event, event-reminder, poll-close, … */
  kind: string;
  /** The id of the thing in its source (a calendar item, an announcement, an event, a poll). */
  id: string;
  /** A short line to show. */
  title: string;
  /** A run of a recurring calendar item. */
  recurring: boolean;
  /** Still to happen, or done (sent, closed). */
  status: 'planned' | 'done';
}

/**
 * A feature that puts things in the content calendar. Features with planned work of their own
 * (stories, survey waves) add one to the list in src/core/index.ts.
 */
export interface CalendarSource {
  name: string;
  /** The entries at `from` or later and before `to`. */
  entries(tx: Tx, community: Community, window: { from: Date; to: Date; now: Date }): Promise<CalendarEntry[]>;
}

/** How many runs of one recurring item a listing shows at most. */
export const MAX_RUNS_LISTED = 1000;

const TITLE_MAX = 80;
const short = (text: string) => (text.length > TITLE_MAX ? `${text.slice(0, TITLE_MAX - 1)}…` : text).replace(/\s+/g, ' ');
const statusAt = (at: Date, now: Date): CalendarEntry['status'] => (at.getTime() > now.getTime() ? 'planned' : 'done');

export const itemTitle = (item: Pick<CalendarItem, 'kind' | 'text' | 'poll'>) => short(item.kind === 'poll' ? item.poll!.question : item.text!);

/** The runs still to come of a calendar item in a window: from its next run on. */
export function itemRuns(item: CalendarItem, timeZone: string, from: Date, to: Date, max = MAX_RUNS_LISTED): Date[] {
  if (!item.nextRunAt) return [];
  const inWindow = item.nextRunAt >= from && item.nextRunAt < to ? [item.nextRunAt] : [];
  if (!item.cron) return inWindow;
  // The next run may be one that fell due while the server was down: it comes first, once.
  const start = new Date(Math.max(from.getTime(), item.nextRunAt.getTime() + 1));
  return [...inWindow, ...runsBetween(parseCron(item.cron), timeZone, start, to, max - inWindow.length)];
}

/** The content calendar's own items: each run still to come. */
export const calendarItemsSource: CalendarSource = {
  name: 'calendar',
  async entries(tx, community, { from, to }) {
    const items = await tx
      .select()
      .from(calendarItems)
      .where(and(eq(calendarItems.communityId, community.id), isNotNull(calendarItems.nextRunAt), lt(calendarItems.nextRunAt, to)));
    return items.flatMap((item) =>
      itemRuns(item, community.timezone, from, to).map((at) => ({
        at,
        source: 'calendar',
        kind: item.kind,
        id: item.id,
        title: itemTitle(item),
        recurring: item.cron !== null,
        status: 'planned' as const,
      })),
    );
  },
};

/** Announcements: scheduled ones, and those that went out in the window. */
export const announcementsSource: CalendarSource = {
  name: 'announcement',
  async entries(tx, community, { from, to }) {
    const rows = await tx
      .select()
      .from(announcements)
      .where(and(eq(announcements.communityId, community.id), isNull(announcements.cancelledAt), gte(announcements.sendAt, from), lt(announcements.sendAt, to)));
    return rows.map((a) => ({
      at: a.sendAt,
      source: 'announcement',
      kind: 'announcement',
      id: a.id,
      title: short(a.text),
      recurring: false,
      status: a.sentAt ? ('done' as const) : ('planned' as const),
    }));
  },
};

/** Activities: their start, and the reminders before it (src/core/events). */
export const eventsSource: CalendarSource = {
  name: 'event',
  async entries(tx, community, { from, to, now }) {
    // A reminder in the window may belong to an event up to the longest reminder after it.
    const rows = await tx
      .select()
      .from(events)
      .where(
        and(
          eq(events.communityId, community.id),
          isNull(events.cancelledAt),
          gte(events.startsAt, from),
          lt(events.startsAt, new Date(to.getTime() + MAX_REMINDER_MINUTES * 60_000)),
        ),
      );
    return rows.flatMap((e) => {
      const title = short(e.title);
      const reminders = e.reminderMinutes.map((m) => new Date(e.startsAt.getTime() - m * 60_000));
      return [
        ...reminders.map((at) => ({ at, source: 'event', kind: 'event-reminder', id: e.id, title, recurring: false, status: statusAt(at, now) })),
        { at: e.startsAt, source: 'event', kind: 'event', id: e.id, title, recurring: false, status: statusAt(e.startsAt, now) },
      ].filter((entry) => entry.at >= from && entry.at < to);
    });
  },
};

/** Polls that close at a set time. */
export const pollsSource: CalendarSource = {
  name: 'poll',
  async entries(tx, community, { from, to }) {
    const rows = await tx
      .select()
      .from(polls)
      .where(and(eq(polls.communityId, community.id), gte(polls.closesAt, from), lt(polls.closesAt, to)));
    return rows.map((p) => ({
      at: p.closesAt!,
      source: 'poll',
      kind: 'poll-close',
      id: p.id,
      title: short(p.question),
      recurring: false,
      status: p.closedAt ? ('done' as const) : ('planned' as const),
    }));
  },
};

/** The sources the calendar lists from, before other features add theirs. */
export const BUILT_IN_SOURCES: CalendarSource[] = [calendarItemsSource, announcementsSource, eventsSource, pollsSource];
