import { index, jsonb, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities } from './communities.js';
import { members } from './members.js';
import { spaces, type ChannelName } from './spaces.js';
import { id, timestamps, tstz } from './columns.js';

/**
 * What an adapter must remember to write to a conversation later (a Teams conversation
 * reference), by outbox address. Opaque to the core.
 */
export const conversationReferences = pgTable('conversation_references', {
  address: text('address').primaryKey(),
  channel: text('channel').$type<ChannelName>().notNull(),
  reference: jsonb('reference').$type<Record<string, unknown>>().notNull(),
  ...timestamps,
});

/**
 * A one-time code that links the conversation it is sent in to a community
 * (`link <code>` in a WhatsApp group or Teams channel). Only a hash is kept.
 */
export const linkCodes = pgTable(
  'link_codes',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    hash: text('hash').notNull(),
    expiresAt: tstz('expires_at').notNull(),
    usedAt: tstz('used_at'),
    /** The space it linked. */
    spaceId: uuid('space_id').references(() => spaces.id, { onDelete: 'set null' }),
    ...timestamps,
  },
  (t) => [uniqueIndex('link_codes_hash_key').on(t.hash), index('link_codes_community_idx').on(t.communityId)],
);
export type LinkCode = typeof linkCodes.$inferSelect;

/** Who is in which space: joined on a join event or a first message, left on a leave event. */
export const spaceMembers = pgTable(
  'space_members',
  {
    spaceId: uuid('space_id')
      .notNull()
      .references(() => spaces.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    joinedAt: tstz('joined_at').notNull().defaultNow(),
    /** Null while they are in it. */
    leftAt: tstz('left_at'),
  },
  (t) => [primaryKey({ columns: [t.spaceId, t.memberId] }), index('space_members_member_idx').on(t.memberId)],
);
export type SpaceMember = typeof spaceMembers.$inferSelect;
