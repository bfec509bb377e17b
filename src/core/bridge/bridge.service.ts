import { and, asc, eq, inArray, lt, or, sql } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { bridgeCopies, bridgeMessages, bridgePairs, bridges, outbox, spaces, type Bridge, type BridgePair, type BridgeScope } from '../../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from '../access.js';
import { conflict, invalid, notFound } from '../errors.js';
import { pageOf, type Page, type PageQuery } from '../page.js';

/** How a community's bridge stands, as the API shows it. */
export interface BridgeView {
  enabled: boolean;
  paused: boolean;
  pausedAt: Date | null;
  scope: BridgeScope;
}

export interface BridgeSettings {
  enabled?: boolean;
  paused?: boolean;
  scope?: BridgeScope;
}

const OFF: BridgeView = { enabled: false, paused: false, pausedAt: null, scope: 'all' };

export const viewOf = (row: Bridge | undefined | null): BridgeView =>
  row ? { enabled: row.enabled, paused: row.enabled && row.pausedAt !== null, pausedAt: row.enabled ? row.pausedAt : null, scope: row.scope } : OFF;

/** The bridge of a community as it stands (off when never set). */
export async function bridgeOf(tx: Tx, communityId: string): Promise<BridgeView> {
  const [row] = await tx.select().from(bridges).where(eq(bridges.communityId, communityId));
  return viewOf(row);
}

/**
 * Changes a community's bridge inside the caller's transaction. Turning it on clears a pause;
 * pausing a bridge that is off is refused (there is nothing to pause).
 */
export async function configureBridge(tx: Tx, communityId: string, settings: BridgeSettings, now: Date): Promise<BridgeView> {
  const [current] = await tx.select().from(bridges).where(eq(bridges.communityId, communityId)).for('update');
  const enabled = settings.enabled ?? current?.enabled ?? false;
  let pausedAt = current?.pausedAt ?? null;
  if (settings.enabled === true && settings.paused === undefined) pausedAt = null;
  if (settings.paused === true) {
    if (!enabled) throw invalid('The bridge is off; turn it on before pausing it');
    pausedAt ??= now;
  }
  if (settings.paused === false) pausedAt = null;
  if (!enabled) pausedAt = null;
  const values = { enabled, pausedAt, scope: settings.scope ?? current?.scope ?? 'all', updatedAt: now };
  const [row] = await tx
    .insert(bridges)
    .values({ communityId, ...values, createdAt: now })
    .onConflictDoUpdate({ target: bridges.communityId, set: values })
    .returning();
  return viewOf(row);
}

/** The bridge through the admin API: its settings, and the pairs of spaces when its scope is `pairs`. */
export function createBridgeService(db: Db, clock: () => Date) {
  return {
    async get(actor: Actor, communityId: string): Promise<BridgeView> {
      await requireExistingCommunity(db, actor, communityId);
      return bridgeOf(db, communityId);
    },

    async update(actor: Actor, communityId: string, settings: BridgeSettings): Promise<BridgeView> {
      await requireExistingCommunity(db, actor, communityId);
      return db.transaction((tx) => configureBridge(tx, communityId, settings, clock()));
    },

    async pairs(actor: Actor, communityId: string, query: PageQuery): Promise<Page<BridgePair>> {
      await requireExistingCommunity(db, actor, communityId);
      return pageOf(db, bridgePairs, eq(bridgePairs.communityId, communityId), [asc(bridgePairs.createdAt), asc(bridgePairs.id)], query);
    },

    /** Two spaces of the community that hear each other when the scope is `pairs`. */
    async addPair(actor: Actor, communityId: string, spaceIds: [string, string]): Promise<BridgePair> {
      await requireExistingCommunity(db, actor, communityId);
      const [a, b] = [...spaceIds].sort() as [string, string];
      if (a === b) throw invalid('A pair is two different spaces');
      const found = await db.select({ id: spaces.id }).from(spaces).where(and(eq(spaces.communityId, communityId), inArray(spaces.id, [a, b])));
      if (found.length !== 2) throw invalid('Both spaces must be groups or channels of this community');
      const [row] = await db.insert(bridgePairs).values({ communityId, spaceAId: a, spaceBId: b }).onConflictDoNothing().returning();
      if (!row) throw conflict('These two spaces are paired already');
      return row;
    },

    async removePair(actor: Actor, id: string): Promise<void> {
      const [row] = await db.select().from(bridgePairs).where(eq(bridgePairs.id, id));
      if (!row) throw notFound('Pair');
      requireCommunity(actor, row.communityId, 'Pair');
      await db.delete(bridgePairs).where(eq(bridgePairs.id, id));
    },
  };
}

export type BridgeService = ReturnType<typeof createBridgeService>;

/**
 * Forgets relayed messages: their rows go, and the relayed text in the outbox rows of their
 * copies is blanked — the rows stay (the deliveries list counts them), their text does not.
 */
export async function forgetBridgeMessages(tx: Tx, ids: string[], now: Date): Promise<void> {
  if (ids.length === 0) return;
  const keys = tx.select({ key: bridgeCopies.outboxKey }).from(bridgeCopies).where(inArray(bridgeCopies.bridgeMessageId, ids));
  await tx
    .update(outbox)
    .set({ payload: { text: '' }, updatedAt: now })
    .where(inArray(outbox.idempotencyKey, keys));
  await tx.delete(bridgeMessages).where(inArray(bridgeMessages.id, ids));
}

/** Bridge messages purged per statement, so one round never holds locks for long. */
const PURGE_BATCH = 500;

/**
 * The privacy job: what the bridge kept of a relayed message (where it and its copies are, its
 * first line) is kept only `retentionDays`, long enough to thread replies and carry edits; then
 * it is deleted, and the relayed text in the outbox rows of its copies is blanked. Files are
 * taken out of the outbox as soon as they were sent. Rows are claimed with SKIP LOCKED, so
 * several instances may run it side by side.
 */
export function createBridgePurge(db: Db, clock: () => Date, retentionDays: number) {
  return async function purge(): Promise<number> {
    const now = clock();
    const cutoff = new Date(now.getTime() - retentionDays * 86_400_000);
    let total = 0;
    for (;;) {
      const purged = await db.transaction(async (tx) => {
        const due = await tx
          .select({ id: bridgeMessages.id })
          .from(bridgeMessages)
          .where(lt(bridgeMessages.createdAt, cutoff))
          .orderBy(asc(bridgeMessages.createdAt))
          .limit(PURGE_BATCH)
          .for('update', { skipLocked: true });
        if (due.length === 0) return 0;
        await forgetBridgeMessages(tx, due.map((d) => d.id), now);
        return due.length;
      });
      total += purged;
      if (purged < PURGE_BATCH) break;
    }
    // Sent files: their bytes are not needed any more.
    const shed = await db
      .update(outbox)
      .set({ payload: sql`${outbox.payload} - 'media'`, updatedAt: now })
      .where(
        and(
          or(eq(outbox.status, 'delivered'), eq(outbox.status, 'failed')),
          sql`${outbox.payload} ? 'media'`,
          inArray(
            outbox.idempotencyKey,
            db
              .select({ key: bridgeCopies.outboxKey })
              .from(bridgeCopies)
              .innerJoin(bridgeMessages, eq(bridgeMessages.id, bridgeCopies.bridgeMessageId))
              .where(sql`${bridgeMessages.mediaKind} is not null`),
          ),
        ),
      )
      .returning({ id: outbox.id });
    return total + shed.length;
  };
}
