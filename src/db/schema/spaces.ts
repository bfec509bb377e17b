import { pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities } from './communities.js';
import { id, timestamps } from './columns.js';

/** The chat platforms a space or identity can live on. */
export const CHANNELS = ['whatsapp', 'teams'] as const;
export type ChannelName = (typeof CHANNELS)[number];

/** A WhatsApp group or Teams conversation linked to a community. */
export const spaces = pgTable(
  'spaces',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<ChannelName>().notNull(),
    externalId: text('external_id').notNull(),
    name: text('name').notNull(),
    ...timestamps,
  },
  (t) => [uniqueIndex('spaces_channel_external_key').on(t.channel, t.externalId)],
);
export type Space = typeof spaces.$inferSelect;
