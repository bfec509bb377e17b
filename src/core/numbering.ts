import { eq, max } from 'drizzle-orm';
import type { AnyPgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/client.js';
import { communities, type Community } from '../db/schema/index.js';

/**
 * The next short number for something a community's members name in chat (activity 3, poll 2,
 * proposal 1): one more than the highest so far, never reused. The community row is locked
 * FOR NO KEY UPDATE until the transaction ends, so two made at once get different numbers, while
 * members being added (foreign keys to the community) are not held up. Returns the locked row too.
 */
export async function nextNumber(
  tx: Tx,
  communityId: string,
  table: PgTable & { number: AnyPgColumn; communityId: AnyPgColumn },
): Promise<{ community: Community; number: number }> {
  const [community] = await tx.select().from(communities).where(eq(communities.id, communityId)).for('no key update');
  const [last] = await tx.select({ n: max(table.number) }).from(table).where(eq(table.communityId, communityId));
  return { community: community!, number: ((last?.n as number | null) ?? 0) + 1 };
}
