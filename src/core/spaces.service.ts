import { and, asc, eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { spaces, type Space } from '../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from './access.js';
import { addressOf, type ChannelName, type ConversationReferences } from './channel.js';
import { conflict, invalid, isUniqueViolation, notFound } from './errors.js';
import { pageOf, type Page, type PageQuery } from './page.js';

export interface SpaceInput {
  channel: ChannelName;
  externalId: string;
  name: string;
  /** Teams: where and in which tenant to post before the bot has seen the conversation. */
  serviceUrl?: string;
  tenantId?: string;
}

export function createSpacesService(db: Db, references: ConversationReferences) {
  return {
    /** Links a WhatsApp group or Teams conversation to a community. */
    async create(actor: Actor, communityId: string, input: SpaceInput): Promise<Space> {
      await requireExistingCommunity(db, actor, communityId);
      const { serviceUrl, tenantId, ...fields } = input;
      if ((serviceUrl || tenantId) && input.channel !== 'teams') throw invalid('serviceUrl and tenantId are for Teams conversations only');
      try {
        const [row] = await db
          .insert(spaces)
          .values({ communityId, ...fields, name: input.name.trim() })
          .returning();
        const address = addressOf(input.channel, input.externalId);
        // Only a hint until the bot sees the conversation; a reference it learnt itself stays.
        if (serviceUrl && !(await references.get(address))) {
          await references.put(address, 'teams', { serviceUrl, channelId: 'msteams', conversation: { id: input.externalId, ...(tenantId && { tenantId }) }, source: 'rest' });
        }
        return row!;
      } catch (error) {
        if (isUniqueViolation(error)) {
          throw conflict(`This ${input.channel} conversation is already linked to a community`);
        }
        throw error;
      }
    },

    async list(
      actor: Actor,
      communityId: string,
      query: PageQuery & { channel?: ChannelName },
    ): Promise<Page<Space>> {
      await requireExistingCommunity(db, actor, communityId);
      const where = and(
        eq(spaces.communityId, communityId),
        query.channel ? eq(spaces.channel, query.channel) : undefined,
      );
      return pageOf(db, spaces, where, [asc(spaces.createdAt), asc(spaces.id)], query);
    },

    /** Unlinks a space; messages from it are ignored from then on. */
    async remove(actor: Actor, id: string): Promise<void> {
      const [row] = await db.select().from(spaces).where(eq(spaces.id, id));
      if (!row) throw notFound('Space');
      requireCommunity(actor, row.communityId, 'Space');
      await db.delete(spaces).where(eq(spaces.id, id));
    },
  };
}

export type SpacesService = ReturnType<typeof createSpacesService>;
