import { and, desc, eq } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { communities, members, ruleProposals, type Community, type ProposalStatus, type RuleProposal } from '../../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from '../access.js';
import { adoptRules } from '../communities.service.js';
import { conflict, invalid, notFound } from '../errors.js';
import { nextNumber } from '../numbering.js';
import { pageOf, type Page, type PageQuery } from '../page.js';

export const RULES_TEXT_MAX = 10_000;

/** Records a proposal for new house rules, numbered per community. */
export async function propose(tx: Tx, communityId: string, text: string, proposedById: string | null, now: Date): Promise<RuleProposal> {
  const clean = text.trim();
  if (!clean || clean.length > RULES_TEXT_MAX) throw invalid(`A proposal is 1 to ${RULES_TEXT_MAX} characters`);
  const { number } = await nextNumber(tx, communityId, ruleProposals);
  const [row] = await tx
    .insert(ruleProposals)
    .values({ communityId, number, text: clean, proposedById, createdAt: now, updatedAt: now })
    .returning();
  return row!;
}

/** Adopts or declines an open proposal; adopting makes it the next house-rules version. */
export async function decide(tx: Tx, proposal: RuleProposal, decision: 'adopted' | 'declined', now: Date): Promise<RuleProposal> {
  if (proposal.status !== 'open') throw conflict(`Proposal ${proposal.number} was ${proposal.status} already`);
  let adoptedVersion: number | null = null;
  if (decision === 'adopted') {
    const [community] = await tx.select().from(communities).where(eq(communities.id, proposal.communityId)).for('update');
    adoptedVersion = (await adoptRules(tx, community!, proposal.text, now)).rulesVersion;
  }
  const [row] = await tx
    .update(ruleProposals)
    .set({ status: decision, decidedAt: now, adoptedVersion, updatedAt: now })
    .where(and(eq(ruleProposals.id, proposal.id), eq(ruleProposals.status, 'open')))
    .returning();
  if (!row) throw conflict(`Proposal ${proposal.number} was decided meanwhile`);
  return row;
}

export async function proposalByNumber(tx: Tx, community: Community, number: number): Promise<RuleProposal | null> {
  const [row] = await tx.select().from(ruleProposals).where(and(eq(ruleProposals.communityId, community.id), eq(ruleProposals.number, number)));
  return row ?? null;
}

/** House-rule proposals through the API; `onQueued` wakes the dispatcher after an adoption. */
export function createProposalsService(db: Db, clock: () => Date, onQueued: () => void) {
  async function load(tx: Tx, actor: Actor, id: string): Promise<RuleProposal> {
    const [row] = await tx.select().from(ruleProposals).where(eq(ruleProposals.id, id));
    if (!row) throw notFound('Proposal');
    requireCommunity(actor, row.communityId, 'Proposal');
    return row;
  }

  return {
    async create(actor: Actor, communityId: string, input: { text: string; proposedById?: string | null }): Promise<RuleProposal> {
      await requireExistingCommunity(db, actor, communityId);
      return db.transaction(async (tx) => {
        if (input.proposedById) {
          const [member] = await tx.select({ communityId: members.communityId }).from(members).where(eq(members.id, input.proposedById));
          if (member?.communityId !== communityId) throw invalid('proposedById is not a member of this community');
        }
        return propose(tx, communityId, input.text, input.proposedById ?? null, clock());
      });
    },

    async list(actor: Actor, communityId: string, query: PageQuery & { status?: ProposalStatus }): Promise<Page<RuleProposal>> {
      await requireExistingCommunity(db, actor, communityId);
      const where = and(eq(ruleProposals.communityId, communityId), query.status ? eq(ruleProposals.status, query.status) : undefined);
      return pageOf(db, ruleProposals, where, [desc(ruleProposals.number)], query);
    },

    async decide(actor: Actor, id: string, decision: 'adopted' | 'declined'): Promise<RuleProposal> {
      const row = await db.transaction(async (tx) => decide(tx, await load(tx, actor, id), decision, clock()));
      if (decision === 'adopted') onQueued();
      return row;
    },
  };
}
