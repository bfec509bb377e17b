import { and, asc, eq, gt, gte, inArray, isNotNull, lt, lte, notExists, or, sql } from 'drizzle-orm';
import { alias } from 'drizzle-orm/pg-core';
import type { Db } from '../../db/client.js';
import { outbox } from '../../db/schema/index.js';
import type { ChannelName } from '../channel.js';

/**
 * The dispatcher's claim: up to `batchSize` due rows of the given channels, oldest first, marked
 * 'sending' under a lease, with their attempt counted. Rows another claim holds are skipped
 * (FOR UPDATE SKIP LOCKED). Built once and prepared with placeholders (`now`, `leaseUntil`, ISO
 * timestamps): drizzle's query building was a noticeable part of a claim's cost, and the
 * dispatcher claims after every inbound batch.
 */
export function prepareClaim(db: Db, names: ChannelName[], batchSize: number) {
  const now = sql.placeholder('now');
  // An earlier row to the same address that is still on its way holds a row back, so a
  // conversation never sees a later message before an earlier one: one waiting for a retry
  // (a Retry-After is about the conversation, not one message), or one another claim is
  // sending now. Rows scheduled for later (never tried, so no last error) hold nothing back.
  const earlier = alias(outbox, 'earlier');
  const heldBack = db
    .select({ one: sql`1` })
    .from(earlier)
    .where(
      and(
        eq(earlier.address, outbox.address),
        lt(earlier.seq, outbox.seq),
        or(
          and(eq(earlier.status, 'pending'), isNotNull(earlier.lastError), gt(earlier.availableAt, now)),
          and(eq(earlier.status, 'sending'), gte(earlier.leaseUntil, now)),
        ),
      ),
    );
  const due = db
    .select({ id: outbox.id })
    .from(outbox)
    .where(
      and(
        inArray(outbox.channel, names),
        or(
          and(eq(outbox.status, 'pending'), lte(outbox.availableAt, now)),
          and(eq(outbox.status, 'sending'), lt(outbox.leaseUntil, now)),
        ),
        notExists(heldBack),
      ),
    )
    .orderBy(asc(outbox.seq))
    .limit(batchSize)
    .for('update', { skipLocked: true });
  return db
    .update(outbox)
    .set({
      status: 'sending',
      leaseUntil: sql`${sql.placeholder('leaseUntil')}::timestamptz`,
      attempts: sql`${outbox.attempts} + 1`,
      updatedAt: sql`${now}::timestamptz`,
    })
    .where(inArray(outbox.id, due))
    .returning()
    .prepare(`outbox_claim_${names.join('_')}`);
}

export type ClaimStatement = ReturnType<typeof prepareClaim>;
