import { and, asc, desc, eq, isNotNull, lte } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { calendarItems, communities, type CalendarItem, type CalendarKind, type CalendarPoll, type Community } from '../../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from '../access.js';
import { CoreError, invalid, isUniqueViolation, notFound } from '../errors.js';
import { cleanInput as cleanPoll, createPoll } from '../polls/polls.service.js';
import { paging, pageOf, type Page, type PageQuery } from '../page.js';
import { announce, cleanAnnouncementText } from './announcements.service.js';
import { localTime } from '../events/time.js';
import { CronError, nextRun, parseCron, zonedInstant } from './cron.js';
import { itemRuns, type CalendarEntry, type CalendarSource } from './sources.js';

/** The longest window the calendar lists at once. */
export const MAX_WINDOW_DAYS = 366;
/** A poll from the calendar closes at most this long after it is posted (28 days). */
export const MAX_CLOSES_AFTER_MINUTES = 28 * 24 * 60;
/** How many of an item's next runs `get` shows. */
const UPCOMING = 5;
const DAY = 86_400_000;

export interface CalendarItemInput {
  kind: CalendarKind;
  text?: string;
  poll?: { question: string; options: string[]; multiple?: boolean; anonymous?: boolean; closesAfterMinutes?: number | null };
  at?: string | Date;
  cron?: string;
}

export type CalendarItemPatch = Partial<Omit<CalendarItemInput, 'kind'>>;

export type CalendarItemView = CalendarItem & { timezone: string; upcoming: Date[] };

/**
 * Reads a cron expression for the calendar. Its minute must be one number: an item sends to
 * every group of the community, so at most once an hour.
 */
function checkCron(expression: string, timeZone: string, now: Date): string {
  try {
    const cron = parseCron(expression);
    if (cron.minutes.size !== 1) throw new CronError('the minute must be one number (a calendar item runs at most once an hour)');
    if (!nextRun(cron, timeZone, now)) throw new CronError('it never runs');
    return cron.source;
  } catch (error) {
    if (error instanceof CronError) throw invalid(`cron: ${error.message}`, { field: 'cron' });
    throw error;
  }
}

/** The content of an item, checked: an announcement's text or a poll. */
function content(kind: CalendarKind, input: Pick<CalendarItemInput, 'text' | 'poll'>, now: Date): { text: string | null; poll: CalendarPoll | null } {
  if (kind === 'announcement') {
    if (input.poll !== undefined) throw invalid('An announcement has a text, not a poll');
    if (input.text === undefined) throw invalid('An announcement needs a text');
    return { text: cleanAnnouncementText(input.text), poll: null };
  }
  if (input.text !== undefined) throw invalid('A poll has a poll (question and options), not a text');
  if (!input.poll) throw invalid('A poll item needs a poll: question and options');
  const { question, options, multiple, anonymous } = cleanPoll({ ...input.poll, closesAt: null }, now);
  const closesAfterMinutes = input.poll.closesAfterMinutes ?? null;
  if (closesAfterMinutes !== null && (!Number.isInteger(closesAfterMinutes) || closesAfterMinutes < 1 || closesAfterMinutes > MAX_CLOSES_AFTER_MINUTES)) {
    throw invalid(`closesAfterMinutes is a whole number of minutes from 1 to ${MAX_CLOSES_AFTER_MINUTES}`);
  }
  return { text: null, poll: { question, options, multiple, anonymous, closesAfterMinutes } };
}

/** When an item runs: once (`at`, in the future) or on a cron recurrence. */
function timing(input: Pick<CalendarItemInput, 'at' | 'cron'>, timeZone: string, now: Date) {
  if ((input.at === undefined) === (input.cron === undefined)) throw invalid('Give either at (once) or cron (recurring)');
  if (input.at !== undefined) {
    const at = new Date(input.at);
    if (at.getTime() <= now.getTime()) throw invalid('at must be in the future');
    return { at, cron: null, nextRunAt: at };
  }
  const cron = checkCron(input.cron!, timeZone, now);
  return { at: null, cron, nextRunAt: nextRun(parseCron(cron), timeZone, now) };
}

/**
 * Re-plans a community's recurring items for its new timezone, in the transaction that changes
 * it. Call it before updating the community row: the scheduler locks an item and then the
 * community, and taking them in the same order cannot deadlock with it.
 *
 * An item's next run stands for a wall-clock time (Monday 09:00); it becomes that time in the new
 * zone. If that time has passed there already, an item that was not due yet goes on from its
 * next run after now (a post at an hour nobody planned would surprise more than one skipped),
 * while an item that was due stays due and runs once, as after an outage. One-off items keep
 * their instant.
 */
export async function replanRecurring(tx: Tx, communityId: string, zones: { from: string; to: string }, now: Date): Promise<void> {
  if (zones.from === zones.to) return;
  const items = await tx
    .select()
    .from(calendarItems)
    .where(and(eq(calendarItems.communityId, communityId), isNotNull(calendarItems.cron), isNotNull(calendarItems.nextRunAt)))
    .for('update');
  for (const item of items) {
    const cron = parseCron(item.cron!);
    const wall = localTime(item.nextRunAt!, zones.from);
    const there = zonedInstant(wall.year, wall.month, wall.day, wall.hour, wall.minute, zones.to);
    // From one millisecond before: that time itself when the cron runs then in the new zone.
    const same = nextRun(cron, zones.to, new Date(there.getTime() - 1));
    const due = item.nextRunAt! <= now;
    const nextRunAt = due || (same && same > now) ? same : nextRun(cron, zones.to, now);
    await tx.update(calendarItems).set({ nextRunAt, updatedAt: now }).where(eq(calendarItems.id, item.id));
  }
}

/** Does one run of an item: posts its announcement or poll. Returns why it could not, or null. */
async function runItem(tx: Tx, item: CalendarItem, community: Community, now: Date): Promise<string | null> {
  try {
    // A savepoint: a run that cannot be done must still move the item on.
    const spaces = await tx.transaction(async (sp) => {
      if (item.kind === 'announcement') {
        return (await announce(sp, community, item.text!, now, { calendarItemId: item.id, sendAt: item.nextRunAt! })).spaceIds.length;
      }
      const { closesAfterMinutes, ...poll } = item.poll!;
      const closesAt = closesAfterMinutes ? new Date(now.getTime() + closesAfterMinutes * 60_000) : null;
      return (await createPoll(sp, community, { ...poll, closesAt }, now)).spaces;
    });
    return spaces === 0 ? 'The community has no groups or channels' : null;
  } catch (error) {
    if (error instanceof CoreError) return error.message;
    // This run's announcement exists already: it was done.
    if (isUniqueViolation(error)) return null;
    throw error;
  }
}

/** The content calendar: planned announcements and polls, once or recurring, and what other features plan. */
export function createCalendarService(db: Db, clock: () => Date, onQueued: () => void, sources: CalendarSource[]) {
  async function community(tx: Tx, id: string): Promise<Community> {
    const [row] = await tx.select().from(communities).where(eq(communities.id, id));
    return row!;
  }

  async function load(tx: Tx, actor: Actor, id: string, lock = false): Promise<CalendarItem> {
    const query = tx.select().from(calendarItems).where(eq(calendarItems.id, id));
    const [item] = lock ? await query.for('update') : await query;
    if (!item) throw notFound('Calendar item');
    requireCommunity(actor, item.communityId, 'Calendar item');
    return item;
  }

  const view = (item: CalendarItem, timeZone: string, now: Date): CalendarItemView => ({
    ...item,
    timezone: timeZone,
    upcoming: itemRuns(item, timeZone, now, new Date(now.getTime() + 10 * 366 * DAY), UPCOMING),
  });

  return {
    async create(actor: Actor, communityId: string, input: CalendarItemInput): Promise<CalendarItemView> {
      await requireExistingCommunity(db, actor, communityId);
      const now = clock();
      const c = await community(db, communityId);
      const fields = { ...content(input.kind, input, now), ...timing(input, c.timezone, now) };
      const [item] = await db.insert(calendarItems).values({ communityId, kind: input.kind, ...fields, createdAt: now, updatedAt: now }).returning();
      return view(item!, c.timezone, now);
    },

    /** The calendar's own items (not expanded), newest first. */
    async items(actor: Actor, communityId: string, query: PageQuery): Promise<Page<CalendarItem>> {
      await requireExistingCommunity(db, actor, communityId);
      return pageOf(db, calendarItems, eq(calendarItems.communityId, communityId), [desc(calendarItems.createdAt)], query);
    },

    async get(actor: Actor, id: string): Promise<CalendarItemView> {
      const item = await load(db, actor, id);
      return view(item, (await community(db, item.communityId)).timezone, clock());
    },

    /** Changes an item; a new time or recurrence plans its next run afresh (an item that ran once runs again). */
    async update(actor: Actor, id: string, patch: CalendarItemPatch): Promise<CalendarItemView> {
      const now = clock();
      const { item, timeZone } = await db.transaction(async (tx) => {
        // The row lock waits for a scheduler running this item now, and then sees its next run.
        const current = await load(tx, actor, id, true);
        const c = await community(tx, current.communityId);
        const set: Partial<CalendarItem> = { updatedAt: now };
        if (patch.text !== undefined || patch.poll !== undefined) {
          const { text, poll } = content(current.kind, { text: patch.text, poll: patch.poll }, now);
          Object.assign(set, current.kind === 'poll' ? { poll } : { text });
        }
        if (patch.at !== undefined || patch.cron !== undefined) Object.assign(set, timing(patch, c.timezone, now), { lastError: null });
        const [row] = await tx.update(calendarItems).set(set).where(eq(calendarItems.id, id)).returning();
        return { item: row!, timeZone: c.timezone };
      });
      return view(item, timeZone, now);
    },

    async remove(actor: Actor, id: string): Promise<void> {
      await db.transaction(async (tx) => {
        await load(tx, actor, id);
        await tx.delete(calendarItems).where(eq(calendarItems.id, id));
      });
    },

    /**
     * What is planned in [from, to): every run of the calendar's items, and what the other
     * sources plan, in time order.
     */
    async planned(actor: Actor, communityId: string, query: PageQuery & { from?: string | Date; to?: string | Date }): Promise<Page<CalendarEntry>> {
      await requireExistingCommunity(db, actor, communityId);
      const now = clock();
      const from = query.from ? new Date(query.from) : now;
      const to = query.to ? new Date(query.to) : new Date(from.getTime() + 7 * DAY);
      if (to.getTime() <= from.getTime()) throw invalid('to must be after from');
      if (to.getTime() - from.getTime() > MAX_WINDOW_DAYS * DAY) throw invalid(`The window is at most ${MAX_WINDOW_DAYS} days`);
      const c = await community(db, communityId);
      const all = (await Promise.all(sources.map((s) => s.entries(db, c, { from, to, now })))).flat();
      all.sort((a, b) => a.at.getTime() - b.at.getTime() || a.source.localeCompare(b.source) || a.id.localeCompare(b.id));
      const { limit, offset } = paging(query);
      return { items: all.slice(offset, offset + limit), total: all.length, limit, offset };
    },

    /**
     * Runs the items whose time has come (the scheduler calls this). Each is claimed FOR UPDATE
     * SKIP LOCKED and moved on to its next run in the transaction that queues its messages, so
     * it runs once whatever the number of schedulers. An item that fell due several times while
     * no server ran runs once, then goes on from the next run after now.
     */
    async runDue(): Promise<number> {
      const now = clock();
      const ran = await db.transaction(async (tx) => {
        const due = await tx
          .select()
          .from(calendarItems)
          .where(lte(calendarItems.nextRunAt, now))
          .orderBy(asc(calendarItems.nextRunAt))
          .limit(50)
          .for('update', { skipLocked: true });
        for (const item of due) {
          const c = await community(tx, item.communityId);
          const lastError = await runItem(tx, item, c, now);
          const nextRunAt = item.cron ? nextRun(parseCron(item.cron), c.timezone, now) : null;
          await tx
            .update(calendarItems)
            .set({ nextRunAt, lastRunAt: now, runs: item.runs + 1, lastError, updatedAt: now })
            .where(eq(calendarItems.id, item.id));
        }
        return due.length;
      });
      if (ran > 0) onQueued();
      return ran;
    },
  };
}

export type CalendarService = ReturnType<typeof createCalendarService>;
