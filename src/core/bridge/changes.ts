import { and, eq } from 'drizzle-orm';
import type { Db } from '../../db/client.js';
import { bridgeMessages, communities, inboundMessages, members, outbox } from '../../db/schema/index.js';
import type { ChannelEventResult } from '../channel.js';
import { storableText } from '../errors.js';
import type { MessageChange } from '../inbound/channel-events.js';
import { enqueue, type OutboxMessage } from '../outbox/outbox.service.js';
import { attributed, attribution, excerptOf, placesOf, type PortOf } from './relay.js';

/** Longest edited text the core reads, as for messages (see MAX_INBOUND_TEXT). */
const MAX_TEXT = 8_000;

/**
 * Edits and deletions of a relayed message cross the bridge: each copy is edited or deleted
 * where its channel allows (OutboundMessage.operation), through the outbox like everything else.
 * A copy not sent yet is changed in place (or not sent at all). A change to a message the bridge
 * did not relay, or whose record was purged, changes nothing.
 */
export function createBridgeChanges(db: Db, clock: () => Date, portOf: PortOf, onQueued: () => void) {
  return async function onMessageChange(event: MessageChange): Promise<ChannelEventResult> {
    const now = clock();
    const outcome = await db.transaction(async (tx): Promise<{ status: ChannelEventResult['status']; queued?: number }> => {
      const [original] = await tx
        .select()
        .from(bridgeMessages)
        .where(and(eq(bridgeMessages.channel, event.channel), eq(bridgeMessages.externalId, storableText(event.externalMessageId))));
      if (!original || original.deletedAt) return { status: 'ignored' };
      const recorded = await tx
        .insert(inboundMessages)
        .values({ channel: event.channel, externalId: `event:${storableText(event.externalEventId)}`, communityId: original.communityId, spaceId: original.spaceId, memberId: original.memberId, command: event.kind, receivedAt: now })
        .onConflictDoNothing({ target: [inboundMessages.channel, inboundMessages.externalId] })
        .returning({ id: inboundMessages.id });
      if (recorded.length === 0) return { status: 'duplicate' };

      const [community] = await tx.select().from(communities).where(eq(communities.id, original.communityId));
      const [member] = original.memberId ? await tx.select().from(members).where(eq(members.id, original.memberId)) : [];
      const who = member ? await attribution(tx, member) : null;
      const language = community!.language;
      const text = event.kind === 'message-edited' ? storableText(event.text).slice(0, MAX_TEXT) : '';
      const places = await placesOf(tx, original);
      const queued: OutboxMessage[] = [];
      for (const [spaceId, place] of places) {
        if (spaceId === original.spaceId || !place.outboxId) continue;
        // The quote a copy started with (a reply it could not thread) stays in front of the new text.
        const head = who ? attributed(language, who, '').trimEnd() : '';
        const old = place.payload?.text ?? '';
        const prefix = head && old.includes(head) ? old.slice(0, old.indexOf(head)) : '';
        const newText = who ? `${prefix}${attributed(language, who, text)}` : text;
        if (place.status === 'pending') {
          // Not sent yet: change the row itself, or let it never go.
          await tx
            .update(outbox)
            .set(event.kind === 'message-deleted' ? { status: 'failed', lastError: 'deleted by its author before it was sent', updatedAt: now } : { payload: { ...place.payload!, text: newText }, updatedAt: now })
            .where(and(eq(outbox.id, place.outboxId), eq(outbox.status, 'pending')));
          continue;
        }
        const { channel } = place;
        if (!place.externalId || portOf(channel)?.capabilities.edits !== true) continue;
        queued.push({
          communityId: original.communityId,
          channel,
          address: place.address,
          spaceId,
          memberId: null,
          payload: { text: event.kind === 'message-deleted' ? '' : newText, operation: { kind: event.kind === 'message-deleted' ? 'delete' : 'edit', target: place.externalId } },
          idempotencyKey: `bridge-change:${event.channel}:${event.externalEventId}:${spaceId}`,
          availableAt: now,
        });
      }
      await enqueue(tx, queued);
      await tx
        .update(bridgeMessages)
        .set(event.kind === 'message-deleted' ? { deletedAt: now, excerpt: '', updatedAt: now } : { excerpt: excerptOf(text), updatedAt: now })
        .where(eq(bridgeMessages.id, original.id));
      return { status: 'processed', queued: queued.length };
    });
    if (outcome.queued) onQueued();
    return { status: outcome.status };
  };
}
