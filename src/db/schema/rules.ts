import { index, integer, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities } from './communities.js';
import { members } from './members.js';
import { id, timestamps, tstz } from './columns.js';

export const PROPOSAL_STATUSES = ['open', 'adopted', 'declined'] as const;
export type ProposalStatus = (typeof PROPOSAL_STATUSES)[number];

/** A new text for the house rules, proposed by the core group; the manager adopts or declines it. */
export const ruleProposals = pgTable(
  'rule_proposals',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    /** A short number per community for chat (`adopt 2`). */
    number: integer('number').notNull(),
    text: text('text').notNull(),
    proposedById: uuid('proposed_by_id').references(() => members.id, { onDelete: 'set null' }),
    status: text('status').$type<ProposalStatus>().notNull().default('open'),
    decidedAt: tstz('decided_at'),
    /** The house-rules version it became. */
    adoptedVersion: integer('adopted_version'),
    ...timestamps,
  },
  (t) => [uniqueIndex('rule_proposals_community_number_key').on(t.communityId, t.number), index('rule_proposals_status_idx').on(t.communityId, t.status)],
);
export type RuleProposal = typeof ruleProposals.$inferSelect;
