import { pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities } from './communities.js';
import { id, timestamps, tstz } from './columns.js';

/** Admin API bearer tokens. Only a SHA-256 hash of each token is kept. */
export const apiTokens = pgTable(
  'api_tokens',
  {
    id: id(),
    name: text('name').notNull(),
    hash: text('hash').notNull(),
    /** Null: an admin token for everything; set: a manager token for that community only. */
    communityId: uuid('community_id').references(() => communities.id, { onDelete: 'cascade' }),
    lastUsedAt: tstz('last_used_at'),
    revokedAt: tstz('revoked_at'),
    ...timestamps,
  },
  (t) => [uniqueIndex('api_tokens_hash_key').on(t.hash)],
);
export type ApiToken = typeof apiTokens.$inferSelect;
