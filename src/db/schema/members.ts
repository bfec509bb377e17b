import { sql } from 'drizzle-orm';
import { index, integer, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { communities, type Language } from './communities.js';
import type { ChannelName } from './spaces.js';
import { id, timestamps, tstz } from './columns.js';

export const ROLES = ['member', 'ambassador', 'manager'] as const;
export type Role = (typeof ROLES)[number];

/** An organisation taking part in a community, with its steering-group representative. */
export const organisations = pgTable(
  'organisations',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    name: text('name').notNull(),
    /** The member who represents this organisation in the steering group (stuurgroep). */
    representativeId: uuid('representative_id').references((): AnyPgColumn => members.id, {
      onDelete: 'set null',
    }),
    ...timestamps,
  },
  (t) => [uniqueIndex('organisations_community_name_key').on(t.communityId, t.name)],
);
export type Organisation = typeof organisations.$inferSelect;

/** A person in one community. Created on first contact from any channel. */
export const members = pgTable(
  'members',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    displayName: text('display_name').notNull(),
    organisationId: uuid('organisation_id').references(() => organisations.id, {
      onDelete: 'set null',
    }),
    role: text('role').$type<Role>().notNull().default('member'),
    /** Null: follow the community's language. */
    language: text('language').$type<Language>(),
    rulesAcceptedVersion: integer('rules_accepted_version'),
    rulesAcceptedAt: tstz('rules_accepted_at'),
    /** The house-rules version they were last reminded to accept: once per version, never more. */
    rulesRemindedVersion: integer('rules_reminded_version'),
    firstSeenAt: tstz('first_seen_at').notNull().defaultNow(),
    lastSeenAt: tstz('last_seen_at').notNull().defaultNow(),
    /** They asked in chat to be forgotten (`privacy forget yes`); the scheduler erases them. */
    eraseRequestedAt: tstz('erase_requested_at'),
    ...timestamps,
  },
  (t) => [
    index('members_community_idx').on(t.communityId, t.displayName),
    index('members_erase_requested_idx').on(t.eraseRequestedAt).where(sql`erase_requested_at is not null`),
  ],
);
export type Member = typeof members.$inferSelect;

/**
 * How a member is known on a channel: a WhatsApp id (a phone-number id or an opaque @lid id) or
 * a Teams AAD object id. One member may have several, on different channels.
 */
export const identities = pgTable(
  'identities',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<ChannelName>().notNull(),
    externalId: text('external_id').notNull(),
    /**
     * Where the bot reaches them in a direct chat, from the last direct message they sent
     * (Teams: `teams:<personal conversation id>`). Null: never wrote directly; on WhatsApp the
     * address follows from externalId anyway.
     */
    directAddress: text('direct_address'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('identities_channel_external_key').on(t.communityId, t.channel, t.externalId),
    index('identities_lookup_idx').on(t.channel, t.externalId),
    index('identities_member_idx').on(t.memberId),
  ],
);
export type Identity = typeof identities.$inferSelect;
