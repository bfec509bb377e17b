import { and, desc, eq, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { outbox, type NewOutboxRow, type OutboxRow, type OutboxStatus } from '../../db/schema/index.js';
import { requireExistingCommunity, type Actor } from '../access.js';
import type { ChannelName } from '../channel.js';
import { pageOf, type Page, type PageQuery } from '../page.js';
import { enqueueHandingOff } from './handoff.js';

export type OutboxMessage = Pick<
  NewOutboxRow,
  'communityId' | 'channel' | 'address' | 'spaceId' | 'memberId' | 'payload' | 'idempotencyKey' | 'availableAt'
>;

/**
 * Writes messages to the outbox inside the caller's transaction, so a message exists exactly
 * when the change that caused it does. A repeated idempotency key is a no-op.
 */
export async function enqueue(tx: Tx, messages: OutboxMessage[]): Promise<void> {
  // The inbound path's insert, without a dispatcher to hand rows to: every row 'pending', for
  // the claim (the time only matters to a hand-off). One statement, whatever the number of rows.
  await enqueueHandingOff(tx, messages, new Date());
}

export interface DeliveryQuery extends PageQuery {
  status?: OutboxStatus;
  channel?: ChannelName;
}

export function createOutboxService(db: Db) {
  return {
    /** A community's outgoing messages with their delivery state, newest first. */
    async deliveries(actor: Actor, communityId: string, query: DeliveryQuery): Promise<Page<OutboxRow>> {
      await requireExistingCommunity(db, actor, communityId);
      const filters: SQL[] = [eq(outbox.communityId, communityId)];
      if (query.status) filters.push(eq(outbox.status, query.status));
      if (query.channel) filters.push(eq(outbox.channel, query.channel));
      return pageOf(db, outbox, and(...filters), [desc(outbox.seq)], query);
    },
  };
}

export type OutboxService = ReturnType<typeof createOutboxService>;
