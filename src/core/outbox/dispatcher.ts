import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../../db/client.js';
import { outbox, type OutboxRow } from '../../db/schema/index.js';
import { ChannelSendError, type ChannelName, type ChannelPort } from '../channel.js';
import { statement } from '../../db/statement.js';
import { prepareClaim, type ClaimStatement } from './claim.js';
import { createSettler, fenced, type Settled } from './settle.js';

export interface DispatcherOptions {
  /** Rows claimed per round. */
  batchSize?: number;
  /** How long a claimed row stays ours; after that another dispatcher may take it. */
  leaseMs?: number;
  /** Attempts before a row is marked failed. */
  maxAttempts?: number;
  /** First retry delay; doubles per attempt, with jitter, up to maxBackoffMs. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  /**
   * How long one send may take before it counts as a retryable failure. Shorter than the lease,
   * so the row is ours when we record it; and a send that never returns (a stuck browser page)
   * cannot stall the rounds behind it.
   */
  sendTimeoutMs?: number;
  /** How often to look for due rows when nothing wakes us. */
  pollMs?: number;
  /**
   * How long a delivered outcome may wait for others to be written with it in one statement
   * (see recordDelivered()). 0 still groups the outcomes that arrive while a write is in flight.
   */
  settleDelayMs?: number;
  /**
   * Claimed rows on their way at most (default four batches). While fewer are, the dispatcher
   * claims the next batch without waiting for the sends in flight to finish.
   */
  maxInFlight?: number;
  /**
   * While sends are on their way, claims start at most this often (ms): a wake-up after every
   * inbound transaction would otherwise mean a claim statement for every few rows. Default 25:
   * at 5, bench/teams spent a third more PostgreSQL CPU per activity on claims and fell behind
   * the unpipelined dispatcher (bench/RESULTS.md, 2026-12-03, quiet machine).
   */
  claimIntervalMs?: number;
  random?: () => number;
}

/** Claimed rows handed back untried, each with its fence (one statement, see statement()). */
const releaseRows = statement<{ ids: string[]; attempts: string[]; now: string }>(
  'outbox_release',
  sql`update ${outbox}
      set status = 'pending', lease_until = null, attempts = ${outbox.attempts} - 1, updated_at = ${sql.placeholder('now')}::timestamptz
      from unnest(${sql.placeholder('ids')}::uuid[], ${sql.placeholder('attempts')}::text[]) as v(id, attempts)
      where ${outbox.id} = v.id and ${outbox.status} = 'sending' and ${outbox.attempts} = v.attempts::int`,
);

/**
 * Sends due outbox rows through their channel's adapter. Rows are claimed with
 * FOR UPDATE SKIP LOCKED, so any number of dispatchers (in one process or many) share the work.
 * Messages to one address go out in write order: a row waits while an earlier one to its
 * address is being sent or waits for a retry. (Two claims made at the very same moment can
 * still split one address's rows between two dispatchers; they never share a row.)
 * Replies the inbound path wrote already claimed come in through handOff(), without a claim.
 */
export function createDispatcher(
  db: Db,
  channels: Map<ChannelName, ChannelPort>,
  clock: () => Date,
  logger: Logger,
  options: DispatcherOptions = {},
) {
  const batchSize = options.batchSize ?? 50;
  const leaseMs = options.leaseMs ?? 60_000;
  const maxAttempts = options.maxAttempts ?? 8;
  const pollMs = options.pollMs ?? 500;
  const sendTimeoutMs = options.sendTimeoutMs ?? 30_000;
  const { settle } = createSettler(db, clock, logger, {
    maxAttempts,
    baseBackoffMs: options.baseBackoffMs ?? 2_000,
    maxBackoffMs: options.maxBackoffMs ?? 15 * 60_000,
    settleDelayMs: options.settleDelayMs ?? 1,
    random: options.random ?? Math.random,
  });
  const maxInFlight = Math.max(batchSize, options.maxInFlight ?? batchSize * 4);
  const claimIntervalMs = options.claimIntervalMs ?? 25;
  let lastClaimAt = 0;
  /** Claim statements started (by the polling loop or runOnce()). */
  let claims = 0;
  /** Rows sent without a claim: written already claimed by the inbound path (see handOff()). */
  let handedOff = 0;

  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  let again = false;
  let stopped = true;
  /** Rounds whose sends are under way (claimed by the polling loop, or handed off), and how many rows they hold. */
  const rounds = new Set<Promise<void>>();
  let rowsInFlight = 0;
  /** The addresses those rows go to, with how many rows each. */
  const busy = new Map<string, number>();

  /** The claim statement, built once per set of channels (see claim.ts). */
  let claimQuery: { names: string; query: ClaimStatement } | null = null;

  async function claim(now: Date): Promise<OutboxRow[]> {
    const names = [...channels.keys()];
    if (names.length === 0) return [];
    const key = names.join(',');
    if (claimQuery?.names !== key) claimQuery = { names: key, query: prepareClaim(db, names, batchSize) };
    claims++;
    const rows = await claimQuery.query.execute({ now: now.toISOString(), leaseUntil: new Date(now.getTime() + leaseMs).toISOString() });
    return rows.sort((a, b) => a.seq - b.seq);
  }

  /**
   * Makes sure the claim on a row is still ours just before sending it, and gives it a fresh
   * lease: rows wait in line behind their conversation's earlier sends, and a send that stalled
   * past the lease must not send rows another claim has taken over since. While the lease from
   * the claim still covers a whole send (sendTimeoutMs) and a margin, no statement is needed.
   */
  async function renew(row: OutboxRow): Promise<boolean> {
    const now = clock();
    // Still leased long enough to send and record it: nobody can have claimed it from us (a
    // claim takes only rows whose lease ran out), so the write can be skipped.
    if (row.leaseUntil && row.leaseUntil.getTime() - now.getTime() >= sendTimeoutMs + RENEW_MARGIN_MS) return true;
    const renewed = await db
      .update(outbox)
      .set({ leaseUntil: new Date(now.getTime() + leaseMs), updatedAt: now })
      .where(fenced(row))
      .returning({ id: outbox.id });
    return renewed.length > 0;
  }

  /**
   * Hands claimed rows back untried, in one statement: they wait behind an earlier row to their
   * address that will be retried. Each row keeps its fence (see fenced()).
   */
  async function release(rows: OutboxRow[]): Promise<void> {
    if (rows.length === 0) return;
    await releaseRows(db, { ids: rows.map((row) => row.id), attempts: rows.map((row) => String(row.attempts)), now: clock().toISOString() });
  }

  /** Sends one claimed row and records the outcome; 'retry' means it will be tried again later. */
  async function send(row: OutboxRow): Promise<Settled> {
    // A row whose lease expired after its last allowed attempt: the sender died mid-send
    // too often to try again safely.
    if (row.attempts > maxAttempts) {
      return settle(row, new ChannelSendError(`gave up after ${maxAttempts} attempts without a confirmed send`, false));
    }
    const port = channels.get(row.channel as ChannelName)!;
    let result: { externalId?: string } | Error;
    try {
      result = await withTimeout(port.send({ id: row.id, address: row.address, ...row.payload }), sendTimeoutMs);
    } catch (error) {
      result = error instanceof Error ? error : new Error(String(error));
    }
    return settle(row, result);
  }

  /**
   * Sends the rows of one claim: rows to one address one after another in write order,
   * different addresses side by side. Resolves once every row's outcome is in the database;
   * true when some row was settled for good (delivered, or failed), which may free later rows
   * to its address that the claim held back.
   */
  async function sendRound(rows: OutboxRow[]): Promise<boolean> {
    const byAddress = new Map<string, OutboxRow[]>();
    for (const row of rows) {
      const queue = byAddress.get(row.address);
      if (queue) queue.push(row);
      else byAddress.set(row.address, [row]);
    }
    // Deliveries are written in groups (see recordDelivered()); the round ends once its own are
    // in the database, so the next claim sees them delivered.
    const written: Promise<void>[] = [];
    let settled = false;
    await Promise.all(
      [...byAddress.values()].map(async (queue) => {
        for (const [i, row] of queue.entries()) {
          // The first row's claim is a moment old; later ones may have waited a while.
          if (i > 0 && !(await renew(row))) continue;
          // The next row to this address goes out once this send returned, without waiting for
          // its delivery to be written. A crash in between leaves both rows 'sending'; once the
          // lease runs out they are claimed again and re-sent in order: a duplicate at worst,
          // never a loss (a row is marked delivered only after its send returned).
          const sent = await send(row);
          if (sent.written) written.push(sent.written);
          if (sent.outcome === 'retry') {
            await release(queue.slice(i + 1));
            return;
          }
          settled = true;
        }
      }),
    );
    await Promise.all(written);
    return settled;
  }

  /** Claims and sends one batch, waiting for all of it; returns how many rows it handled. */
  async function runOnce(): Promise<number> {
    const rows = await claim(clock());
    await sendRound(rows);
    return rows.length;
  }

  /**
   * Sends a claimed batch in the background: the polling loop claims the next batch meanwhile.
   * Order per address still holds: a claim never takes a row while an earlier row to its address
   * is being sent or waits for a retry (see claim()), and that includes the rows of these rounds.
   */
  function startRound(rows: OutboxRow[]): void {
    const claimsBefore = claims;
    rowsInFlight += rows.length;
    for (const row of rows) busy.set(row.address, (busy.get(row.address) ?? 0) + 1);
    const round: Promise<void> = sendRound(rows)
      .then(
        (settled) => {
          // A claim made while these rows were on their way held back later rows to their
          // addresses: look again. (With no such claim there is nothing held back to find.)
          if (settled && claims > claimsBefore) wake();
        },
        (error: unknown) => logger.error({ err: error }, 'dispatcher round failed'),
      )
      .finally(() => {
        rounds.delete(round);
        rowsInFlight -= rows.length;
        for (const row of rows) {
          const n = busy.get(row.address)! - 1;
          if (n === 0) busy.delete(row.address);
          else busy.set(row.address, n);
        }
      });
    rounds.add(round);
  }

  /**
   * Sends rows the inbound path wrote already claimed for us (see handoff.ts), once their
   * transaction has committed: a round like a claimed one, without the claim statement.
   * The insert let a row through only when no row to its address was pending or sending; a
   * transaction committing at the same time could not see that, so a row to an address this
   * dispatcher is sending to already goes back to 'pending', for the claim to put it in line.
   * After stop() the rows go back to 'pending' too; if even that fails, their lease runs out
   * and a claim takes them, as after a crash.
   */
  function handOff(rows: OutboxRow[]): void {
    if (rows.length === 0) return;
    const sendNow: OutboxRow[] = [];
    const giveBack: OutboxRow[] = [];
    for (const row of rows) (stopped || busy.has(row.address) ? giveBack : sendNow).push(row);
    if (sendNow.length > 0) {
      handedOff += sendNow.length;
      startRound(sendNow.sort((a, b) => a.seq - b.seq));
    }
    if (giveBack.length > 0) {
      release(giveBack).then(wake, (error: unknown) => logger.warn({ err: error }, 'could not give handed-off rows back; they go once their lease runs out'));
    }
  }

  async function tick(): Promise<void> {
    timer = null;
    if (stopped) return;
    if (running) {
      again = true;
      return;
    }
    running = (async () => {
      try {
        let n = 0;
        do {
          // A full pipeline: wait for a round to finish before claiming more.
          while (rowsInFlight >= maxInFlight && !stopped) await Promise.race(rounds);
          // Rows on their way and a claim a moment ago: let the wake-ups gather for a few ms.
          const since = performance.now() - lastClaimAt;
          if (rowsInFlight > 0 && n !== batchSize && since < claimIntervalMs) await sleep(claimIntervalMs - since);
          if (stopped) return;
          // Rows committed from here on are woken for again; those before, this claim sees.
          again = false;
          lastClaimAt = performance.now();
          const rows = await claim(clock());
          n = rows.length;
          if (n > 0) startRound(rows);
        } while ((n === batchSize || again) && !stopped);
      } catch (error) {
        logger.error({ err: error }, 'dispatcher round failed');
      }
    })();
    await running;
    running = null;
    // A wake() that came while the loop was finishing is not lost.
    if (!stopped && !timer) timer = setTimeout(() => void tick(), again ? 0 : pollMs);
  }

  /** Look for due rows now. */
  function wake(): void {
    if (stopped) return;
    if (running) again = true;
    else if (timer) {
      clearTimeout(timer);
      timer = setTimeout(() => void tick(), 0);
    }
  }

  return {
    runOnce,
    /** The lease a claim gives (a row written already claimed gets the same). */
    leaseMs,
    /** Whether a row to this channel may be written already claimed for handOff(): while we run and send that channel. */
    accepts: (channel: ChannelName) => !stopped && channels.has(channel),
    handOff,
    /** Claim statements run, and rows sent without one (handed off), since the start. */
    stats: () => ({ claims, handedOff }),
    /** Starts polling; wake() makes it look at once. */
    start() {
      if (!stopped) return;
      stopped = false;
      timer = setTimeout(() => void tick(), 0);
    },
    /** Look for due rows now (called after a transaction wrote some). */
    wake,
    /** Stops polling and waits for the sends in flight. */
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      timer = null;
      await running;
      while (rounds.size > 0) await Promise.all([...rounds]);
    },
  };
}

export type Dispatcher = ReturnType<typeof createDispatcher>;

/** Lease left beyond sendTimeoutMs for a queued row to be sent without renewing its claim. */
const RENEW_MARGIN_MS = 5_000;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** The promise's result, or a retryable ChannelSendError once `ms` have passed. */
function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new ChannelSendError(`no answer from the channel within ${ms} ms`, true)), ms);
    timer.unref();
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
