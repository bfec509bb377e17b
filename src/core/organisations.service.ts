import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { members, organisations, type Organisation } from '../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from './access.js';
import { conflict, invalid, isUniqueViolation, notFound } from './errors.js';
import { pageOf, type Page, type PageQuery } from './page.js';

export interface OrganisationInput {
  name: string;
  /** The member who represents the organisation in the steering group. */
  representativeId?: string | null;
}

export function createOrganisationsService(db: Db, clock: () => Date = () => new Date()) {
  async function checkRepresentative(communityId: string, memberId: string | null | undefined) {
    if (!memberId) return;
    const [member] = await db
      .select({ id: members.id })
      .from(members)
      .where(and(eq(members.id, memberId), eq(members.communityId, communityId)));
    if (!member) throw invalid('The representative must be a member of this community');
  }

  async function guardUnique<T>(name: string | undefined, work: () => Promise<T>): Promise<T> {
    try {
      return await work();
    } catch (error) {
      if (isUniqueViolation(error)) throw conflict(`An organisation named "${name}" already takes part`);
      throw error;
    }
  }

  return {
    async create(actor: Actor, communityId: string, input: OrganisationInput): Promise<Organisation> {
      await requireExistingCommunity(db, actor, communityId);
      await checkRepresentative(communityId, input.representativeId);
      return guardUnique(input.name, async () => {
        const [row] = await db
          .insert(organisations)
          .values({ communityId, name: input.name.trim(), representativeId: input.representativeId ?? null })
          .returning();
        return row!;
      });
    },

    async list(actor: Actor, communityId: string, query: PageQuery): Promise<Page<Organisation>> {
      await requireExistingCommunity(db, actor, communityId);
      return pageOf(db, organisations, eq(organisations.communityId, communityId), [asc(organisations.name)], query);
    },

    async get(actor: Actor, id: string): Promise<Organisation> {
      const [row] = await db.select().from(organisations).where(eq(organisations.id, id));
      if (!row) throw notFound('Organisation');
      requireCommunity(actor, row.communityId, 'Organisation');
      return row;
    },

    async update(actor: Actor, id: string, patch: Partial<OrganisationInput>): Promise<Organisation> {
      const current = await this.get(actor, id);
      await checkRepresentative(current.communityId, patch.representativeId);
      return guardUnique(patch.name, async () => {
        const [row] = await db
          .update(organisations)
          .set({ ...patch, name: patch.name?.trim(), updatedAt: clock() })
          .where(eq(organisations.id, id))
          .returning();
        return row!;
      });
    },
  };
}

export type OrganisationsService = ReturnType<typeof createOrganisationsService>;
