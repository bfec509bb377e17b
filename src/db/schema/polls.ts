import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities } from './communities.js';
import { members } from './members.js';
import { id, timestamps, tstz } from './columns.js';

/** A question with 2–10 options, posted to every space of a community; one tally across channels. */
export const polls = pgTable(
  'polls',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    /** A short number per community for chat (`vote 3 1`); never reused. */
    number: integer('number').notNull(),
    question: text('question').notNull(),
    options: jsonb('options').$type<string[]>().notNull(),
    /** More than one option may be chosen. */
    multiple: boolean('multiple').notNull().default(false),
    /** Results never say who or which organisation voted what. */
    anonymous: boolean('anonymous').notNull().default(false),
    closesAt: tstz('closes_at'),
    closedAt: tstz('closed_at'),
    /** The member who asked it from chat; null when made through the API. */
    createdById: uuid('created_by_id').references(() => members.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('polls_community_number_key').on(t.communityId, t.number),
    // The scheduler looks for open polls whose time is up.
    index('polls_open_closes_idx').on(t.closesAt).where(sql`closed_at is null`),
  ],
);
export type Poll = typeof polls.$inferSelect;

/** A member's current choice in a poll; voting again replaces it. */
export const pollVotes = pgTable(
  'poll_votes',
  {
    pollId: uuid('poll_id')
      .notNull()
      .references(() => polls.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** Chosen options, 1-based, ascending. */
    choices: jsonb('choices').$type<number[]>().notNull(),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.pollId, t.memberId] }), index('poll_votes_member_idx').on(t.memberId)],
);
export type PollVote = typeof pollVotes.$inferSelect;
