import { and, eq, sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { outbox, type OutboxRow } from '../../db/schema/index.js';
import { statement } from '../../db/statement.js';
import { ChannelDeferral, ChannelSendError } from '../channel.js';

/**
 * Delivered rows, one statement whatever their number (see statement()): each keeps its fence,
 * so a row another dispatcher re-claimed after our lease ran out is left alone. Numbers and times
 * go as text, cast per element (postgres.js does not serialize every array type once prepared).
 */
const markDelivered = statement<{ ids: string[]; attempts: string[]; externalIds: (string | null)[]; ats: string[] }>(
  'outbox_delivered',
  sql`update ${outbox}
      set status = 'delivered', delivered_at = v.at::timestamptz, external_id = v.external_id,
          lease_until = null, last_error = null, updated_at = v.at::timestamptz
      from unnest(${sql.placeholder('ids')}::uuid[], ${sql.placeholder('attempts')}::text[], ${sql.placeholder('externalIds')}::text[], ${sql.placeholder('ats')}::text[])
        as v(id, attempts, external_id, at)
      where ${outbox.id} = v.id and ${outbox.status} = 'sending' and ${outbox.attempts} = v.attempts::int`,
);

export interface SettleOptions {
  maxAttempts: number;
  baseBackoffMs: number;
  maxBackoffMs: number;
  settleDelayMs: number;
  random: () => number;
}

/** How a send went for the round: 'retry' when the row will be tried again later. */
export interface Settled {
  outcome: 'done' | 'retry';
  /** A delivery's write (see recordDelivered()); rejects if the write failed. */
  written?: Promise<void>;
}

/** Our claim still holds: nobody re-claimed the row after our lease ran out. */
export const fenced = (row: OutboxRow) =>
  and(eq(outbox.id, row.id), eq(outbox.status, 'sending'), eq(outbox.attempts, row.attempts));

/**
 * Records the outcome of a dispatcher's sends: deliveries written in groups, failures one by one
 * (back to 'pending' for a retry, or 'failed'). Every write is fenced (see fenced()).
 */
export function createSettler(db: Db, clock: () => Date, logger: Logger, options: SettleOptions) {
  const { maxAttempts, baseBackoffMs, maxBackoffMs, settleDelayMs, random } = options;

  /** Exponential back-off with jitter: half fixed, half random, so retries do not stampede. */
  function backoff(attempts: number, retryAfterMs = 0): number {
    const exp = Math.min(maxBackoffMs, baseBackoffMs * 2 ** Math.max(0, attempts - 1));
    return Math.max(retryAfterMs, Math.round(exp / 2 + (exp / 2) * random()));
  }

  /**
   * Delivered outcomes waiting to be written, and the write in flight. Deliveries are by far the
   * most common outcome, and one UPDATE (one commit) per delivered row was most of the
   * dispatcher's database work; so the outcomes that come in within settleDelayMs, or while the
   * previous write is in flight, are written with one statement (group commit). Each row keeps
   * its fence: a row another dispatcher re-claimed after our lease ran out is left alone. If the
   * write fails, its rows stay 'sending' and are sent again once their lease runs out.
   */
  const delivered: Delivered[] = [];
  let settleTimer: NodeJS.Timeout | null = null;
  let writing = false;

  /** Queues a delivered outcome; resolves once it is written (rejects if the write failed). */
  function recordDelivered(row: OutboxRow, externalId: string | null): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      delivered.push({ id: row.id, attempts: row.attempts, externalId, at: clock(), resolve, reject });
      scheduleDeliveredWrite();
    });
  }

  function scheduleDeliveredWrite(): void {
    if (writing || settleTimer || delivered.length === 0) return;
    settleTimer = setTimeout(() => void writeDelivered(), settleDelayMs);
  }

  async function writeDelivered(): Promise<void> {
    settleTimer = null;
    const batch = delivered.splice(0, MAX_SETTLE_BATCH);
    if (batch.length === 0) return;
    writing = true;
    try {
      await markDelivered(db, {
        ids: batch.map((d) => d.id),
        attempts: batch.map((d) => String(d.attempts)),
        externalIds: batch.map((d) => d.externalId),
        ats: batch.map((d) => d.at.toISOString()),
      });
      for (const d of batch) d.resolve();
    } catch (error) {
      for (const d of batch) d.reject(error);
    } finally {
      writing = false;
      // What came in meanwhile goes at once: it has waited for a write already.
      if (delivered.length > 0) void writeDelivered();
    }
  }

  /**
   * Records how a send went; 'retry' when the row will be tried again later. A delivery is only
   * queued (see recordDelivered()): `written` settles once it is in the database.
   */
  async function settle(row: OutboxRow, result: { externalId?: string } | Error): Promise<Settled> {
    if (!(result instanceof Error)) {
      const written = recordDelivered(row, result.externalId ?? null);
      // Awaited by the round; until then a failed write must not count as unhandled.
      written.catch(() => {});
      return { outcome: 'done', written };
    }
    return { outcome: await settleFailure(row, result) };
  }

  /** Records a send that did not go through; failures are rare, so one statement each. */
  async function settleFailure(row: OutboxRow, result: Error): Promise<'done' | 'retry'> {
    const now = clock();
    if (result instanceof ChannelDeferral) {
      // Not tried: the attempt it was counted as is given back. lastError stays set, so the row
      // keeps holding back later rows to its address (see claim()).
      const delay = Math.max(0, result.retryAfterMs ?? 0);
      await db
        .update(outbox)
        .set({ status: 'pending', availableAt: new Date(now.getTime() + delay), leaseUntil: null, attempts: sql`${outbox.attempts} - 1`, lastError: result.message.slice(0, 1000), updatedAt: now })
        .where(fenced(row));
      return 'retry';
    }
    const retryable = result instanceof ChannelSendError ? result.retryable : true;
    const retryAfterMs = result instanceof ChannelSendError ? result.retryAfterMs : undefined;
    const reason = result.message.slice(0, 1000);
    if (retryable && row.attempts < maxAttempts) {
      const delay = backoff(row.attempts, retryAfterMs);
      await db
        .update(outbox)
        .set({ status: 'pending', availableAt: new Date(now.getTime() + delay), leaseUntil: null, lastError: reason, updatedAt: now })
        .where(fenced(row));
      logger.warn({ outboxId: row.id, channel: row.channel, attempts: row.attempts, retryInMs: delay, reason }, 'send failed; will retry');
      return 'retry';
    }
    await db
      .update(outbox)
      .set({ status: 'failed', leaseUntil: null, lastError: reason, updatedAt: now })
      .where(fenced(row));
    logger.error({ outboxId: row.id, channel: row.channel, attempts: row.attempts, reason }, 'send failed; giving up');
    return 'done';
  }

  return { settle };
}

/** Rows per delivered-outcome statement (4 parameters each; PostgreSQL allows 65,535). */
const MAX_SETTLE_BATCH = 1_000;

interface Delivered {
  id: string;
  attempts: number;
  externalId: string | null;
  at: Date;
  resolve: () => void;
  reject: (error: unknown) => void;
}
