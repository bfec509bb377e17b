import { createHash, randomBytes } from 'node:crypto';
import { and, asc, eq, gte, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { calendarFeeds, events, organisations, type EventRow } from '../../db/schema/index.js';
import { requireExistingCommunity, type Actor } from '../access.js';
import { notFound } from '../errors.js';
import { communityOf, loadEvent } from './events.views.js';
import { buildCalendar } from './ics.js';

const hashFeedToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** Calendar files: one event's `.ics`, and the community's secret feed for calendar apps. */
export function createCalendarService(db: Db, clock: () => Date) {
  return {
    /** One event as an iCalendar file. */
    async ics(actor: Actor, id: string): Promise<string> {
      const event = await loadEvent(db, actor, id);
      const c = await communityOf(db, event.communityId);
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
      const c = await communityOf(db, communityId);
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
