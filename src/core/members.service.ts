import { and, asc, eq, type SQL } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import {
  identities,
  members,
  organisations,
  type Identity,
  type Language,
  type Member,
  type Role,
} from '../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from './access.js';
import { invalid, notFound } from './errors.js';
import { pageOf, type Page, type PageQuery } from './page.js';

export interface MemberPatch {
  displayName?: string;
  role?: Role;
  organisationId?: string | null;
  language?: Language | null;
}

export interface MemberView extends Member {
  identities: Pick<Identity, 'channel' | 'externalId' | 'createdAt'>[];
}

export function createMembersService(db: Db, clock: () => Date = () => new Date()) {
  async function load(actor: Actor, id: string): Promise<Member> {
    const [row] = await db.select().from(members).where(eq(members.id, id));
    if (!row) throw notFound('Member');
    requireCommunity(actor, row.communityId, 'Member');
    return row;
  }

  return {
    async list(
      actor: Actor,
      communityId: string,
      query: PageQuery & { role?: Role; organisationId?: string },
    ): Promise<Page<Member>> {
      await requireExistingCommunity(db, actor, communityId);
      const filters: SQL[] = [eq(members.communityId, communityId)];
      if (query.role) filters.push(eq(members.role, query.role));
      if (query.organisationId) filters.push(eq(members.organisationId, query.organisationId));
      return pageOf(db, members, and(...filters), [asc(members.displayName), asc(members.id)], query);
    },

    async get(actor: Actor, id: string): Promise<MemberView> {
      const member = await load(actor, id);
      const ids = await db
        .select({ channel: identities.channel, externalId: identities.externalId, createdAt: identities.createdAt })
        .from(identities)
        .where(eq(identities.memberId, id))
        .orderBy(asc(identities.createdAt));
      return { ...member, identities: ids };
    },

    async update(actor: Actor, id: string, patch: MemberPatch): Promise<MemberView> {
      const member = await load(actor, id);
      if (patch.organisationId) {
        const [org] = await db
          .select({ id: organisations.id })
          .from(organisations)
          .where(and(eq(organisations.id, patch.organisationId), eq(organisations.communityId, member.communityId)));
        if (!org) throw invalid('The organisation does not take part in this community');
      }
      await db
        .update(members)
        .set({ ...patch, displayName: patch.displayName?.trim(), updatedAt: clock() })
        .where(eq(members.id, id));
      return this.get(actor, id);
    },
  };
}

export type MembersService = ReturnType<typeof createMembersService>;
