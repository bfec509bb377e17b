import { asc, count, eq } from 'drizzle-orm';
import type { PgTable } from 'drizzle-orm/pg-core';
import { addressOf, type ChannelPort, type InboundMessage, type OutboundMessage } from '../../src/core/channel.js';
import { enqueue } from '../../src/core/outbox/outbox.service.js';
import { outbox, type OutboxPayload, type OutboxRow } from '../../src/db/schema/index.js';
import { groupMessage, type Harness } from './harness.js';
import type { TestAdapter } from './test-adapter.js';

let groups = 0;
let queued = 0;

/** A WhatsApp group id no other test in the file uses. */
export const newGroup = () => `1203639${String(++groups).padStart(8, '0')}@g.us`;

/** A message in the direct chat between `sender` and the bot. */
export function directMessage(sender: string, text: string, extra: Partial<InboundMessage> = {}): InboundMessage {
  return groupMessage(sender, sender, text, { space: { externalId: sender, direct: true }, ...extra });
}

/**
 * Hands a message to the core, sends whatever it queued, and returns the texts that came back
 * to the message's conversation.
 */
export async function exchange(h: Harness, message: InboundMessage): Promise<string[]> {
  const adapter = message.channel === 'teams' ? h.teams : h.whatsapp;
  const address = message.replyAddress ?? addressOf(message.channel, message.space.externalId);
  const before = adapter.textsTo(address).length;
  await h.core.receive(message);
  await h.flush();
  return adapter.textsTo(address).slice(before);
}

/** Someone writing in a group: `say('/help')` returns the replies the group saw. */
export function person(h: Harness, group: string, sender: string, displayName = sender.split('@')[0]) {
  return (text: string, extra: Partial<InboundMessage> = {}) =>
    exchange(h, groupMessage(group, sender, text, { sender: { externalId: sender, displayName }, ...extra }));
}

/** How many rows a table holds. */
export async function rowCount(h: Harness, table: PgTable): Promise<number> {
  const [row] = await h.database.db.select({ n: count() }).from(table);
  return row!.n;
}

/** Writes texts to one address in one transaction, the way a command that answers twice would. */
export function queueTexts(
  h: Harness,
  address: string,
  texts: string[],
  options: { channel?: 'whatsapp' | 'teams'; availableAt?: Date } = {},
): Promise<void> {
  return queuePayloads(h, address, texts.map((text) => ({ text })), options);
}

/** Writes messages (a poll, buttons, …) to one address in one transaction, as a feature would. */
export async function queuePayloads(
  h: Harness,
  address: string,
  payloads: OutboxPayload[],
  options: { channel?: 'whatsapp' | 'teams'; availableAt?: Date } = {},
): Promise<void> {
  const channel = options.channel ?? (address.split(':')[0] as 'whatsapp' | 'teams');
  await h.database.db.transaction((tx) =>
    enqueue(
      tx,
      payloads.map((payload) => ({
        communityId: null,
        channel,
        address,
        spaceId: null,
        memberId: null,
        payload,
        idempotencyKey: `test:${++queued}`,
        availableAt: options.availableAt ?? h.clock.now(),
      })),
    ),
  );
}

/** The outbox rows for one address, oldest first. */
export async function outboxTo(h: Harness, address: string): Promise<OutboxRow[]> {
  return h.database.db.select().from(outbox).where(eq(outbox.address, address)).orderBy(asc(outbox.seq));
}

/**
 * Puts a recorder in front of a test adapter, so a test sees every send attempt (the adapter
 * itself records only the successful ones). `gate` lets a test hold the next attempt open.
 */
export function recordAttempts(h: Harness, adapter: TestAdapter = h.whatsapp) {
  const attempts: OutboundMessage[] = [];
  const held: (() => void)[] = [];
  let holdNext = 0;
  const port: ChannelPort = {
    channel: adapter.port.channel,
    capabilities: adapter.port.capabilities,
    async send(message) {
      attempts.push(message);
      if (holdNext > 0) {
        holdNext--;
        await new Promise<void>((resolve) => held.push(resolve));
      }
      return adapter.port.send(message);
    },
  };
  h.core.registerChannel(port);
  return {
    port,
    attempts,
    /** The next send waits until release() is called: a platform call that stalls, then returns. */
    holdNext() {
      holdNext++;
    },
    release() {
      for (const resolve of held.splice(0)) resolve();
    },
  };
}

/** Resolves after a macrotask turn, so work started without await gets going. */
export const tick = (ms = 0) => new Promise((resolve) => setTimeout(resolve, ms));
