import { bigint, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities } from './communities.js';
import { members } from './members.js';
import { spaces, type ChannelName } from './spaces.js';
import { id, timestamps, tstz } from './columns.js';

/**
 * One row per inbound message the core handled. The unique (channel, external id) makes a
 * redelivery a no-op. The body is not kept: it is personal data the core does not need again.
 */
export const inboundMessages = pgTable(
  'inbound_messages',
  {
    id: id(),
    channel: text('channel').$type<ChannelName>().notNull(),
    externalId: text('external_id').notNull(),
    communityId: uuid('community_id').references(() => communities.id, { onDelete: 'cascade' }),
    spaceId: uuid('space_id').references(() => spaces.id, { onDelete: 'set null' }),
    memberId: uuid('member_id').references(() => members.id, { onDelete: 'set null' }),
    /** The command it ran, if any: engagement figures count these. */
    command: text('command'),
    receivedAt: tstz('received_at').notNull().defaultNow(),
  },
  (t) => [
    uniqueIndex('inbound_messages_channel_external_key').on(t.channel, t.externalId),
    index('inbound_messages_community_idx').on(t.communityId, t.receivedAt),
  ],
);
export type InboundMessageRow = typeof inboundMessages.$inferSelect;

export const OUTBOX_STATUSES = ['pending', 'sending', 'delivered', 'failed'] as const;
export type OutboxStatus = (typeof OUTBOX_STATUSES)[number];

/** What the core asks a channel to show; adapters render it (see OutboundMessage). */
export interface OutboxPayload {
  text: string;
  replyTo?: string;
  actions?: { label: string; command: string }[];
  poll?: { question: string; options: { label: string; command: string }[]; multiple?: boolean; command?: string };
  /** A change to a message sent before (see OutboundMessage.operation). */
  operation?: { kind: 'edit' | 'delete'; target: string };
  /** A bridged photo or document, base64; the bridge's purge job takes the bytes out once it is sent. */
  media?: { kind: 'photo' | 'document' | 'video' | 'audio' | 'other'; mimetype: string; filename?: string; data: string };
}

/**
 * Every message that goes out, written in the transaction that caused it and sent later by the
 * dispatcher. A row is claimed under a lease; a lease that expires (a crash mid-send) frees it.
 */
export const outbox = pgTable(
  'outbox',
  {
    id: id(),
    /**
     * Write order. Messages to one address go out in this order; created_at cannot tell apart
     * the rows one transaction writes (now() is the transaction's start) and ids are random.
     */
    seq: bigint('seq', { mode: 'number' }).notNull().generatedAlwaysAsIdentity(),
    communityId: uuid('community_id').references(() => communities.id, { onDelete: 'cascade' }),
    channel: text('channel').$type<ChannelName>().notNull(),
    /** Opaque prefixed address, e.g. `whatsapp:<chat id>`; only the adapter decodes it. */
    address: text('address').notNull(),
    /** The space it goes to, or null for a direct message. */
    spaceId: uuid('space_id').references(() => spaces.id, { onDelete: 'set null' }),
    /** The member it is for, when it is a reply or a direct message. */
    memberId: uuid('member_id').references(() => members.id, { onDelete: 'set null' }),
    payload: jsonb('payload').$type<OutboxPayload>().notNull(),
    idempotencyKey: text('idempotency_key').notNull(),
    status: text('status').$type<OutboxStatus>().notNull().default('pending'),
    attempts: integer('attempts').notNull().default(0),
    availableAt: tstz('available_at').notNull().defaultNow(),
    leaseUntil: tstz('lease_until'),
    lastError: text('last_error'),
    externalId: text('external_id'),
    deliveredAt: tstz('delivered_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('outbox_idempotency_key').on(t.idempotencyKey),
    index('outbox_due_idx').on(t.status, t.availableAt),
    // The dispatcher looks for earlier unsent rows to the same address (see claim()).
    index('outbox_address_seq_idx').on(t.address, t.seq),
    index('outbox_community_idx').on(t.communityId, t.createdAt),
    // A poll's votes are matched to the poll by the platform's id for the message that carried it.
    index('outbox_external_idx').on(t.channel, t.externalId),
  ],
);
export type OutboxRow = typeof outbox.$inferSelect;
export type NewOutboxRow = typeof outbox.$inferInsert;
