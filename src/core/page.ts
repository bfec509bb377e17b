import { count, type SQL } from 'drizzle-orm';
import type { PgColumn, PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from '../db/client.js';

/** One page of a list. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageQuery {
  limit?: number;
  offset?: number;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** Normalised paging with the defaults and bounds every list shares. */
export function paging(query: PageQuery): { limit: number; offset: number } {
  return {
    limit: Math.min(Math.max(query.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT),
    offset: Math.max(query.offset ?? 0, 0),
  };
}

/** One page of a table's rows matching `where`, in `order`, with the total count. */
export async function pageOf<T extends PgTable>(
  tx: Tx,
  table: T,
  where: SQL | undefined,
  order: (PgColumn | SQL)[],
  query: PageQuery,
): Promise<Page<T['$inferSelect']>> {
  const { limit, offset } = paging(query);
  const [items, [total]] = await Promise.all([
    tx
      .select()
      .from(table as PgTable)
      .where(where)
      .orderBy(...order)
      .limit(limit)
      .offset(offset),
    tx.select({ n: count() }).from(table as PgTable).where(where),
  ]);
  return { items: items as T['$inferSelect'][], total: total!.n, limit, offset };
}
