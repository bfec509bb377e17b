import { randomUUID } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { statement } from '../../db/statement.js';
import type { OutboxRow, OutboxStatus } from '../../db/schema/index.js';
import type { ChannelName } from '../channel.js';
import type { OutboxMessage } from './outbox.service.js';

/**
 * A dispatcher that takes rows written already claimed for it (see enqueueHandingOff()): the
 * inbound path's replies skip the claim statement and the wait for the next claim.
 */
export interface HandOffTarget {
  /** Whether a row to this channel may be written already claimed now: only while the dispatcher runs and sends that channel. */
  accepts(channel: ChannelName): boolean;
  /** The lease a claim gives; a row written already claimed gets the same. */
  readonly leaseMs: number;
  /** Sends rows written already claimed, once the transaction that wrote them has committed. */
  handOff(rows: OutboxRow[]): void;
}

export interface Enqueued {
  /** Rows written already claimed: to be handed to the dispatcher after the commit. */
  handedOff: OutboxRow[];
  /** Some row was written 'pending': the dispatcher should look for it (wake()). */
  pending: boolean;
}

/**
 * The insert, one fixed statement (see statement()). Every array goes as text[], cast per
 * element: postgres.js sends an array of booleans typed as its element ("cannot cast type boolean
 * to boolean[]") and does not serialize a timestamptz[] or boolean[] parameter once the statement
 * is prepared. PGlite takes the same.
 */
const p = (name: string) => sql.placeholder(name);
const insertOutbox = statement<
  {
    ids: string[]; communityIds: (string | null)[]; channels: string[]; addresses: string[]; spaceIds: (string | null)[]; memberIds: (string | null)[];
    payloads: string[]; keys: string[]; availableAts: (string | null)[]; mayClaim: string[]; now: string; leaseUntil: string;
  },
  { id: string; seq: number; status: OutboxStatus }
>(
  'outbox_enqueue_handing_off',
  sql`insert into outbox (id, community_id, channel, address, space_id, member_id, payload, idempotency_key, available_at, status, attempts, lease_until)
    select m.id::uuid, m.community_id::uuid, m.channel, m.address, m.space_id::uuid, m.member_id::uuid, m.payload::jsonb, m.idempotency_key,
           coalesce(m.available_at::timestamptz, now()),
           case when ahead.clear then 'sending' else 'pending' end,
           case when ahead.clear then 1 else 0 end,
           case when ahead.clear then ${p('leaseUntil')}::timestamptz end
    from unnest(${p('ids')}::text[], ${p('communityIds')}::text[], ${p('channels')}::text[], ${p('addresses')}::text[], ${p('spaceIds')}::text[],
                ${p('memberIds')}::text[], ${p('payloads')}::text[], ${p('keys')}::text[], ${p('availableAts')}::text[], ${p('mayClaim')}::text[])
         with ordinality as m(id, community_id, channel, address, space_id, member_id, payload, idempotency_key, available_at, may_claim, n)
    cross join lateral (
      select m.may_claim::boolean and not exists (
        select 1 from outbox earlier
        where earlier.address = m.address
          and (earlier.status = 'sending'
               or (earlier.status = 'pending' and (earlier.available_at <= ${p('now')}::timestamptz or earlier.last_error is not null)))
      ) as clear
    ) ahead
    order by m.n
    on conflict (idempotency_key) do nothing
    returning id, seq, status`,
  (row) => ({ id: row[0] as string, seq: Number(row[1]), status: row[2] as OutboxStatus }),
);

/**
 * Writes messages to the outbox (enqueue() is this without a target), in one statement whose text does not depend on
 * how many there are (PostgreSQL parses and plans it once per connection, not per batch size),
 * and writes a row already claimed by the dispatcher — 'sending', attempt 1, under a lease from
 * `now` — when the target takes its channel, it is due, and nothing is ahead of it: no row to
 * its address is being sent, is due, or waits for a retry (the rows the claim would hold it back
 * behind; see claim.ts). Rows of this statement do not see each other: several to one address
 * are all claimed or not, and go out one after another in write order, in one round.
 * A repeated idempotency key is a no-op, and such a row is not handed off.
 *
 * A row written claimed that is never sent (a crash before the hand-off, a stop) is claimed
 * again once its lease runs out, like any row whose sender died mid-send.
 *
 * Transactions that commit at the same moment do not see each other's rows: in one process the
 * dispatcher gives a handed-off row back to the claim when it is sending to that address already
 * (see handOff()); two servers may send such replies side by side, as two claims made at the
 * very same moment can.
 */
export async function enqueueHandingOff(tx: Tx, messages: OutboxMessage[], now: Date, target?: HandOffTarget): Promise<Enqueued> {
  if (messages.length === 0) return { handedOff: [], pending: false };
  const ids = messages.map(() => randomUUID());
  const leaseUntil = new Date(now.getTime() + (target?.leaseMs ?? 0));
  // Rows left without a time take the column's default (the transaction's start), due at once.
  const mayClaim = messages.map((m) => (target?.accepts(m.channel) ?? false) && (m.availableAt == null || m.availableAt <= now));
  const inserted = await insertOutbox(tx, {
    ids,
    communityIds: messages.map((m) => m.communityId ?? null),
    channels: messages.map((m) => m.channel),
    addresses: messages.map((m) => m.address),
    spaceIds: messages.map((m) => m.spaceId ?? null),
    memberIds: messages.map((m) => m.memberId ?? null),
    payloads: messages.map((m) => JSON.stringify(m.payload)),
    keys: messages.map((m) => m.idempotencyKey),
    availableAts: messages.map((m) => m.availableAt?.toISOString() ?? null),
    mayClaim: mayClaim.map(String),
    now: now.toISOString(),
    leaseUntil: leaseUntil.toISOString(),
  });
  const byId = new Map<string, OutboxMessage>(ids.map((id, i) => [id, messages[i]!]));
  const handedOff: OutboxRow[] = [];
  let pending = false;
  for (const row of inserted) {
    if (row.status !== 'sending') {
      pending = true;
      continue;
    }
    const m = byId.get(row.id)!;
    handedOff.push({
      id: row.id,
      seq: row.seq,
      communityId: m.communityId ?? null,
      channel: m.channel,
      address: m.address,
      spaceId: m.spaceId ?? null,
      memberId: m.memberId ?? null,
      payload: m.payload,
      idempotencyKey: m.idempotencyKey,
      status: 'sending',
      attempts: 1,
      availableAt: m.availableAt ?? now,
      leaseUntil,
      lastError: null,
      externalId: null,
      deliveredAt: null,
      createdAt: now,
      updatedAt: now,
    });
  }
  handedOff.sort((a, b) => a.seq - b.seq);
  return { handedOff, pending };
}
