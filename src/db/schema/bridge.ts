import { boolean, index, pgTable, primaryKey, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities } from './communities.js';
import { members } from './members.js';
import { spaces, type ChannelName } from './spaces.js';
import { id, timestamps, tstz } from './columns.js';

export const BRIDGE_SCOPES = ['all', 'pairs'] as const;
/** `all`: every space of the community hears every other; `pairs`: only the chosen pairs. */
export type BridgeScope = (typeof BRIDGE_SCOPES)[number];

/**
 * A community's bridge: ordinary messages written in one of its spaces are relayed to the
 * others. No row: off. `pausedAt` set: on, but held by a manager (nothing is relayed meanwhile).
 */
export const bridges = pgTable('bridges', {
  communityId: uuid('community_id')
    .primaryKey()
    .references(() => communities.id, { onDelete: 'cascade' }),
  enabled: boolean('enabled').notNull().default(false),
  pausedAt: tstz('paused_at'),
  scope: text('scope').$type<BridgeScope>().notNull().default('all'),
  ...timestamps,
});
export type Bridge = typeof bridges.$inferSelect;

/** Two spaces that hear each other when the bridge's scope is `pairs` (stored with spaceA < spaceB). */
export const bridgePairs = pgTable(
  'bridge_pairs',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    spaceAId: uuid('space_a_id')
      .notNull()
      .references(() => spaces.id, { onDelete: 'cascade' }),
    spaceBId: uuid('space_b_id')
      .notNull()
      .references(() => spaces.id, { onDelete: 'cascade' }),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('bridge_pairs_spaces_key').on(t.spaceAId, t.spaceBId),
    index('bridge_pairs_community_idx').on(t.communityId),
    index('bridge_pairs_space_b_idx').on(t.spaceBId),
  ],
);
export type BridgePair = typeof bridgePairs.$inferSelect;

/** Members who keep their messages in their own space (`bridge me off`). */
export const bridgeOptOuts = pgTable('bridge_opt_outs', {
  memberId: uuid('member_id')
    .primaryKey()
    .references(() => members.id, { onDelete: 'cascade' }),
  communityId: uuid('community_id')
    .notNull()
    .references(() => communities.id, { onDelete: 'cascade' }),
  ...timestamps,
});

/**
 * A message the bridge relayed: where it was written and its platform id, so replies, edits and
 * deletions of it (or of any of its copies) can be followed to every other space. The text is not
 * kept, only its first line (to quote when a reply cannot be threaded); the whole row is purged
 * after the retention period (BRIDGE_RETENTION_DAYS).
 */
export const bridgeMessages = pgTable(
  'bridge_messages',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    spaceId: uuid('space_id')
      .notNull()
      .references(() => spaces.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id').references(() => members.id, { onDelete: 'set null' }),
    channel: text('channel').$type<ChannelName>().notNull(),
    /** The platform id of the original (WhatsApp message id, Teams activity id). */
    externalId: text('external_id').notNull(),
    /** Where the original was written: the space, or a Teams thread in it (replies go there too). */
    address: text('address').notNull(),
    /** The original's first line, at most 200 characters: quoted where a reply cannot be threaded. */
    excerpt: text('excerpt').notNull().default(''),
    /** What it carried besides text (photo, document), for edits and notices. */
    mediaKind: text('media_kind'),
    deletedAt: tstz('deleted_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('bridge_messages_channel_external_key').on(t.channel, t.externalId),
    // The purge job looks for the oldest first.
    index('bridge_messages_created_idx').on(t.createdAt),
    index('bridge_messages_member_idx').on(t.memberId),
  ],
);
export type BridgeMessage = typeof bridgeMessages.$inferSelect;

/**
 * One relayed copy of a bridge message: the space it went to and the outbox row that carries it
 * (by idempotency key; the row's external_id is the copy's platform id once it is delivered).
 */
export const bridgeCopies = pgTable(
  'bridge_copies',
  {
    bridgeMessageId: uuid('bridge_message_id')
      .notNull()
      .references(() => bridgeMessages.id, { onDelete: 'cascade' }),
    spaceId: uuid('space_id')
      .notNull()
      .references(() => spaces.id, { onDelete: 'cascade' }),
    outboxKey: text('outbox_key').notNull(),
  },
  (t) => [primaryKey({ columns: [t.bridgeMessageId, t.spaceId] }), uniqueIndex('bridge_copies_outbox_key').on(t.outboxKey)],
);
export type BridgeCopy = typeof bridgeCopies.$inferSelect;
