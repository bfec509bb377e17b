import { integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { id, timestamps, tstz } from './columns.js';

export const PHASES = [
  'initiative',
  'concept-and-test',
  'core-group',
  'strategy',
  'trial-run',
  'launched',
] as const;
export type Phase = (typeof PHASES)[number];

export const LANGUAGES = ['en', 'nl'] as const;
export type Language = (typeof LANGUAGES)[number];

export const communities = pgTable(
  'communities',
  {
    id: id(),
    name: text('name').notNull(),
    slug: text('slug').notNull(),
    purpose: text('purpose').notNull().default(''),
    themes: jsonb('themes').$type<string[]>().notNull().default([]),
    language: text('language').$type<Language>().notNull().default('nl'),
    timezone: text('timezone').notNull().default('Europe/Amsterdam'),
    phase: text('phase').$type<Phase>().notNull().default('initiative'),
    /** The house-rules version members are asked to accept; 0 while there are none. */
    rulesVersion: integer('rules_version').notNull().default(0),
    ...timestamps,
  },
  (t) => [uniqueIndex('communities_slug_key').on(t.slug)],
);
export type Community = typeof communities.$inferSelect;
export type NewCommunity = typeof communities.$inferInsert;

/** Every version of a community's house rules (huisregels), kept so acceptance names a text. */
export const houseRules = pgTable(
  'house_rules',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    adoptedAt: tstz('adopted_at').notNull().defaultNow(),
  },
  (t) => [uniqueIndex('house_rules_community_version_key').on(t.communityId, t.version)],
);
export type HouseRules = typeof houseRules.$inferSelect;
