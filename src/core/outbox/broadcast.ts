import { asc, eq } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { spaces, type OutboxPayload } from '../../db/schema/index.js';
import { addressOf } from '../channel.js';
import { enqueue } from './outbox.service.js';

/**
 * Queues one message to every group and channel of a community, on every channel. `key` makes
 * the idempotency key per space: the same key twice sends nothing twice.
 */
export async function broadcast(tx: Tx, communityId: string, key: string, payload: OutboxPayload, now: Date): Promise<number> {
  const all = await tx.select().from(spaces).where(eq(spaces.communityId, communityId)).orderBy(asc(spaces.createdAt));
  await enqueue(
    tx,
    all.map((space) => ({
      communityId,
      channel: space.channel,
      address: addressOf(space.channel, space.externalId),
      spaceId: space.id,
      memberId: null,
      payload,
      idempotencyKey: `${key}:${space.id}`,
      availableAt: now,
    })),
  );
  return all.length;
}
