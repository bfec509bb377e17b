import { and, asc, desc, eq, inArray, isNotNull, isNull, lte } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { announcements, communities, outbox, spaces, type Announcement, type ChannelName, type Community, type OutboxStatus } from '../../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from '../access.js';
import { conflict, invalid, notFound, storableText } from '../errors.js';
import { t } from '../i18n/index.js';
import { broadcast } from '../outbox/broadcast.js';
import { pageOf, type Page, type PageQuery } from '../page.js';

export const ANNOUNCEMENT_MAX = 4000;

export type AnnouncementStatus = 'scheduled' | 'sent' | 'cancelled';

/** How an announcement's messages stand, counted over its spaces. */
export type DeliverySummary = Record<OutboxStatus, number> & { spaces: number };

/** One space's copy of an announcement, as the outbox row for it stands. */
export interface SpaceDelivery {
  spaceId: string;
  /** Null when the space was unlinked since. */
  name: string | null;
  channel: ChannelName;
  status: OutboxStatus;
  attempts: number;
  lastError: string | null;
  deliveredAt: Date | null;
}

export type AnnouncementView = Announcement & { status: AnnouncementStatus; delivery: DeliverySummary };

const statusOf = (a: Announcement): AnnouncementStatus => (a.cancelledAt ? 'cancelled' : a.sentAt ? 'sent' : 'scheduled');
const broadcastKey = (id: string) => `announcement:${id}`;
const outboxKey = (id: string, spaceId: string) => `${broadcastKey(id)}:${spaceId}`;

/** Checks and cleans an announcement's text; throws invalid with the reason. */
export function cleanAnnouncementText(text: string): string {
  const clean = storableText(text).trim();
  if (!clean || clean.length > ANNOUNCEMENT_MAX) throw invalid(`An announcement is 1 to ${ANNOUNCEMENT_MAX} characters`);
  return clean;
}

/**
 * Queues an announcement (already stored, not yet sent) to every space of its community and
 * marks it sent, in the caller's transaction.
 */
async function send(tx: Tx, announcement: Announcement, community: Community, now: Date): Promise<Announcement> {
  await broadcast(tx, community.id, broadcastKey(announcement.id), { text: t(community.language, 'announcements.post', { text: announcement.text }) }, now);
  // Where it went: the spaces whose outbox row exists now (the keys are exact, so the unique index finds them).
  const all = await tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.communityId, community.id));
  const queued = all.length
    ? await tx.select({ spaceId: outbox.spaceId }).from(outbox).where(inArray(outbox.idempotencyKey, all.map((s) => outboxKey(announcement.id, s.id))))
    : [];
  const [sent] = await tx
    .update(announcements)
    .set({ sentAt: now, spaceIds: queued.map((r) => r.spaceId!), updatedAt: now })
    .where(eq(announcements.id, announcement.id))
    .returning();
  return sent!;
}

/**
 * Stores an announcement and sends it now, in the caller's transaction: the chat command, the
 * API and the calendar all come through here. `sendAt` is the time it stands for (a calendar
 * run's time; now otherwise).
 */
export async function announce(
  tx: Tx,
  community: Community,
  text: string,
  now: Date,
  origin: { createdById?: string | null; calendarItemId?: string | null; sendAt?: Date } = {},
): Promise<Announcement> {
  const [row] = await tx
    .insert(announcements)
    .values({
      communityId: community.id,
      text: cleanAnnouncementText(text),
      sendAt: origin.sendAt ?? now,
      createdById: origin.createdById ?? null,
      calendarItemId: origin.calendarItemId ?? null,
      createdAt: now,
      updatedAt: now,
    })
    .returning();
  return send(tx, row!, community, now);
}

/** The delivery of each announcement, per space, from its outbox rows. */
async function deliveriesOf(tx: Tx, list: Announcement[]): Promise<Map<string, SpaceDelivery[]>> {
  const keys = list.flatMap((a) => a.spaceIds.map((spaceId) => outboxKey(a.id, spaceId)));
  const out = new Map<string, SpaceDelivery[]>(list.map((a) => [a.id, []]));
  if (keys.length === 0) return out;
  const rows = await tx
    .select({
      key: outbox.idempotencyKey,
      channel: outbox.channel,
      status: outbox.status,
      attempts: outbox.attempts,
      lastError: outbox.lastError,
      deliveredAt: outbox.deliveredAt,
      name: spaces.name,
    })
    .from(outbox)
    .leftJoin(spaces, eq(spaces.id, outbox.spaceId))
    .where(inArray(outbox.idempotencyKey, keys))
    .orderBy(asc(outbox.seq));
  for (const row of rows) {
    const [, id, spaceId] = row.key.split(':') as [string, string, string];
    out.get(id)?.push({ spaceId, name: row.name, channel: row.channel, status: row.status, attempts: row.attempts, lastError: row.lastError, deliveredAt: row.deliveredAt });
  }
  return out;
}

function summary(list: SpaceDelivery[]): DeliverySummary {
  const counts: DeliverySummary = { spaces: list.length, pending: 0, sending: 0, delivered: 0, failed: 0 };
  for (const d of list) counts[d.status]++;
  return counts;
}

export interface AnnouncementInput {
  text: string;
  sendAt?: string | Date | null;
}

/** Announcements through the API; `onQueued` wakes the dispatcher after a commit that queued messages. */
export function createAnnouncementsService(db: Db, clock: () => Date, onQueued: () => void) {
  async function load(tx: Tx, actor: Actor, id: string, lock = false): Promise<Announcement> {
    const query = tx.select().from(announcements).where(eq(announcements.id, id));
    const [row] = lock ? await query.for('update') : await query;
    if (!row) throw notFound('Announcement');
    requireCommunity(actor, row.communityId, 'Announcement');
    return row;
  }

  async function views(tx: Tx, list: Announcement[]): Promise<AnnouncementView[]> {
    const deliveries = await deliveriesOf(tx, list);
    return list.map((a) => ({ ...a, status: statusOf(a), delivery: summary(deliveries.get(a.id)!) }));
  }

  return {
    /** Sends an announcement to every space now, or stores it for `sendAt`. */
    async create(actor: Actor, communityId: string, input: AnnouncementInput): Promise<AnnouncementView> {
      await requireExistingCommunity(db, actor, communityId);
      const now = clock();
      const sendAt = input.sendAt ? new Date(input.sendAt) : null;
      if (sendAt && sendAt.getTime() <= now.getTime()) throw invalid('sendAt must be in the future; leave it out to send now');
      const text = cleanAnnouncementText(input.text);
      const created = await db.transaction(async (tx) => {
        const [community] = await tx.select().from(communities).where(eq(communities.id, communityId));
        if (!sendAt) return announce(tx, community!, text, now);
        const [row] = await tx.insert(announcements).values({ communityId, text, sendAt, createdAt: now, updatedAt: now }).returning();
        return row!;
      });
      if (!sendAt) onQueued();
      return (await views(db, [created]))[0]!;
    },

    async list(actor: Actor, communityId: string, query: PageQuery & { status?: AnnouncementStatus }): Promise<Page<AnnouncementView>> {
      await requireExistingCommunity(db, actor, communityId);
      const filters = [eq(announcements.communityId, communityId)];
      if (query.status === 'scheduled') filters.push(isNull(announcements.sentAt), isNull(announcements.cancelledAt));
      if (query.status === 'sent') filters.push(isNotNull(announcements.sentAt));
      if (query.status === 'cancelled') filters.push(isNotNull(announcements.cancelledAt));
      const page = await pageOf(db, announcements, and(...filters), [desc(announcements.sendAt), desc(announcements.createdAt)], query);
      return { ...page, items: await views(db, page.items) };
    },

    /** One announcement, with how it was delivered in each space. */
    async get(actor: Actor, id: string): Promise<AnnouncementView & { deliveries: SpaceDelivery[] }> {
      const announcement = await load(db, actor, id);
      const deliveries = (await deliveriesOf(db, [announcement])).get(id)!;
      return { ...announcement, status: statusOf(announcement), delivery: summary(deliveries), deliveries };
    },

    /** Cancels a scheduled announcement; one that went out already cannot be called back (conflict). */
    async cancel(actor: Actor, id: string): Promise<AnnouncementView> {
      const now = clock();
      const cancelled = await db.transaction(async (tx) => {
        // The row lock waits for a scheduler sending it right now, and then sees it sent.
        const announcement = await load(tx, actor, id, true);
        if (announcement.cancelledAt) throw conflict('This announcement is cancelled already');
        if (announcement.sentAt) throw conflict('This announcement went out already; it cannot be cancelled');
        const [row] = await tx.update(announcements).set({ cancelledAt: now, updatedAt: now }).where(eq(announcements.id, id)).returning();
        return row!;
      });
      return (await views(db, [cancelled]))[0]!;
    },

    /** Sends the scheduled announcements whose time has come (the scheduler calls this). */
    async sendDue(): Promise<number> {
      const now = clock();
      const sent = await db.transaction(async (tx) => {
        const due = await tx
          .select()
          .from(announcements)
          .where(and(isNull(announcements.sentAt), isNull(announcements.cancelledAt), lte(announcements.sendAt, now)))
          .orderBy(asc(announcements.sendAt))
          .limit(100)
          .for('update', { skipLocked: true });
        for (const announcement of due) {
          const [community] = await tx.select().from(communities).where(eq(communities.id, announcement.communityId));
          await send(tx, announcement, community!, now);
        }
        return due.length;
      });
      if (sent > 0) onQueued();
      return sent;
    },
  };
}

export type AnnouncementsService = ReturnType<typeof createAnnouncementsService>;
