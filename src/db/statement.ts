import { getTableColumns, sql, type SQL } from 'drizzle-orm';
import { PgDialect, type PgTable } from 'drizzle-orm/pg-core';
import type { Tx } from './client.js';

const dialect = new PgDialect();

/**
 * A statement whose text never changes, built once with `sql.placeholder`s for its values. A call
 * skips drizzle's query building (a noticeable part of the server's time on a busy inbound path),
 * and on PostgreSQL postgres.js prepares it by name on each connection, so it is parsed and
 * planned once rather than at every call. A list goes in as one array parameter
 * (`unnest($1::text[])`, `= any($1::uuid[])`), so the text does not depend on its length.
 * On PostgreSQL the plan is made once, without the values (plan_cache_mode, see client.ts): a
 * look-up per list element goes through a `cross join lateral (… offset 0)` on its index, so the
 * plan does not assume how long the list is.
 *
 * Runs in the transaction (or on the database) it is given; rows come back as arrays, in the
 * select list's order, and `read` makes each one what the caller wants. Timestamps go in as ISO
 * strings: drizzle hands PostgreSQL's timestamp values through untouched, both ways.
 */
export function statement<Values extends Record<string, unknown>, Row = never>(
  name: string,
  query: SQL,
  read: (row: unknown[]) => Row = () => undefined as never,
) {
  const built = dialect.sqlToQuery(query);
  const readAll = (rows: unknown[][]) => rows.map(read);
  return (tx: Tx, values: Values): Promise<Row[]> =>
    tx._.session.prepareQuery<{ execute: Row[]; all: unknown; values: unknown }>(built, undefined, name, false, readAll).execute(values);
}

/**
 * A table's columns for a select list (`"members"."id", "members"."community_id", …`), and a
 * reader that makes the row drizzle's select would give from the values at `at` onwards: the
 * same decoding (a Date for a timestamp, a number for an integer), null kept as null.
 */
export function columnsOf<T extends PgTable>(table: T) {
  const columns = Object.entries(getTableColumns(table));
  return {
    list: sql.join(
      columns.map(([, column]) => column),
      sql`, `,
    ),
    width: columns.length,
    read(row: unknown[], at = 0): T['$inferSelect'] {
      const out: Record<string, unknown> = {};
      for (let i = 0; i < columns.length; i++) {
        const [key, column] = columns[i]!;
        const value = row[at + i];
        out[key] = value === null ? null : column.mapFromDriverValue(value);
      }
      return out as T['$inferSelect'];
    },
  };
}
