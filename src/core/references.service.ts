import { eq } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { conversationReferences } from '../db/schema/index.js';
import type { ChannelName, ConversationReferences } from './channel.js';

/** The adapters' notes on how to reach a conversation, kept by outbox address. */
export function createReferencesService(db: Db, clock: () => Date): ConversationReferences {
  return {
    async get(address) {
      const [row] = await db
        .select({ reference: conversationReferences.reference })
        .from(conversationReferences)
        .where(eq(conversationReferences.address, address));
      return row?.reference ?? null;
    },
    async put(address: string, channel: ChannelName, reference: Record<string, unknown>) {
      const now = clock();
      await db
        .insert(conversationReferences)
        .values({ address, channel, reference, createdAt: now, updatedAt: now })
        .onConflictDoUpdate({ target: conversationReferences.address, set: { reference, updatedAt: now } });
    },
  };
}
