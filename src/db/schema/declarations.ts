import { integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities } from './communities.js';
import { members, organisations } from './members.js';
import { id, timestamps, tstz } from './columns.js';

/** At most one A4 page (seed 000: "Alles moet wel op 1 A4 passen"), counted in characters. */
export const DECLARATION_MAX_CHARS = 3_500;

/**
 * A community's intent declaration (intentieverklaring, seed 000): which version is current,
 * when its unsigned representatives were last reminded, and the secret of its print link.
 */
export const declarations = pgTable('declarations', {
  communityId: uuid('community_id')
    .primaryKey()
    .references(() => communities.id, { onDelete: 'cascade' }),
  /** The current version; every new text is the next one and needs new signatures. */
  version: integer('version').notNull(),
  /** The last round of reminders (or the request to sign) for the current version. */
  remindedAt: tstz('reminded_at').notNull(),
  /** sha256 of the print link's secret; only the hash is kept. */
  printTokenHash: text('print_token_hash').unique(),
  printTokenExpiresAt: tstz('print_token_expires_at'),
  ...timestamps,
});
export type Declaration = typeof declarations.$inferSelect;

/** Every version of a declaration's text, kept so a signature names the text it signed. */
export const declarationVersions = pgTable(
  'declaration_versions',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    text: text('text').notNull(),
    publishedAt: tstz('published_at').notNull(),
    /** When every participating organisation had signed and the community was told (once per version). */
    celebratedAt: tstz('celebrated_at'),
  },
  (t) => [uniqueIndex('declaration_versions_community_version_key').on(t.communityId, t.version)],
);
export type DeclarationVersion = typeof declarationVersions.$inferSelect;

export const SIGNATURE_VIA = ['chat', 'api'] as const;
export type SignatureVia = (typeof SIGNATURE_VIA)[number];

/** An organisation's signature under one version: who signed, for which organisation, when. */
export const declarationSignatures = pgTable(
  'declaration_signatures',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    version: integer('version').notNull(),
    organisationId: uuid('organisation_id')
      .notNull()
      .references(() => organisations.id, { onDelete: 'cascade' }),
    /** The representative who signed; null when signed on paper and recorded over the API. */
    memberId: uuid('member_id').references(() => members.id, { onDelete: 'set null' }),
    /** The signer's name as it was when they signed (the printed page shows it). */
    signerName: text('signer_name').notNull(),
    via: text('via').$type<SignatureVia>().notNull(),
    signedAt: tstz('signed_at').notNull(),
  },
  // One signature per organisation per version: signing twice is a no-op.
  (t) => [uniqueIndex('declaration_signatures_version_org_key').on(t.communityId, t.version, t.organisationId)],
);
export type DeclarationSignature = typeof declarationSignatures.$inferSelect;
