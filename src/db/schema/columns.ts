import { timestamp, uuid } from 'drizzle-orm/pg-core';

/** A random UUID primary key; ids in the API are opaque strings. */
export const id = () => uuid('id').primaryKey().defaultRandom();

/** A timestamp with time zone, as a JS Date. */
export const tstz = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** created_at and updated_at, set by the database on insert. */
export const timestamps = {
  createdAt: tstz('created_at').notNull().defaultNow(),
  updatedAt: tstz('updated_at').notNull().defaultNow(),
};
