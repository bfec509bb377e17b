/** An inbound message as the pipeline handles it: what makes it unique, storable, and a reply to it. */
import { addressOf, type InboundMessage } from '../channel.js';
import { storableText } from '../errors.js';
import type { Community, Space } from '../../db/schema/index.js';
import type { OutboxMessage } from '../outbox/outbox.service.js';

/**
 * A reply to the conversation a message came from. `n` makes its idempotency key: the count of
 * the batch's replies so far (unique per message as well), or a word for a special reply.
 */
export function reply(
  message: InboundMessage,
  where: { community: Community | null; space: Space | null },
  memberId: string | null,
  now: Date,
  n: number | string,
  lines: string[],
  extra?: Pick<OutboxMessage['payload'], 'actions'>,
): OutboxMessage {
  return {
    communityId: where.community?.id ?? null,
    channel: message.channel,
    address: message.replyAddress ?? addressOf(message.channel, message.space.externalId),
    spaceId: where.space?.id ?? null,
    memberId,
    // Quoting the message answered tells who is meant in a busy group.
    payload: { text: lines.join('\n'), ...extra, ...(message.space.direct || message.action ? {} : { replyTo: message.externalMessageId }) },
    idempotencyKey: `reply:${message.channel}:${message.externalMessageId}:${n}`,
    availableAt: now,
  };
}

/** What makes an inbound message the same message: its channel and the platform's id. */
export const messageKey = (channel: string, externalId: string) => `${channel}\u0000${externalId}`;

/**
 * The message with every string made storable: a NUL in a display name or a text would make
 * PostgreSQL refuse the whole transaction, every time that member writes.
 */
export function storable(message: InboundMessage): InboundMessage {
  return {
    ...message,
    externalMessageId: storableText(message.externalMessageId),
    text: storableText(message.text),
    space: { ...message.space, externalId: storableText(message.space.externalId), name: message.space.name && storableText(message.space.name) },
    sender: {
      externalId: storableText(message.sender.externalId),
      displayName: message.sender.displayName && storableText(message.sender.displayName),
    },
    ...(message.replyAddress ? { replyAddress: storableText(message.replyAddress) } : {}),
  };
}
