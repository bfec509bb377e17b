/** The shapes the inbound pipeline works with, and the port for what else hears ordinary messages. */
import type { Tx } from '../../db/client.js';
import type { Community, Language, Member, Space } from '../../db/schema/index.js';
import type { InboundMessage } from '../channel.js';
import type { ParsedCommand } from '../commands/parse.js';
import type { Command } from '../commands/registry.js';
import type { OutboxMessage } from '../outbox/outbox.service.js';

export interface InboundOptions {
  /** Messages handled in one transaction at most. */
  maxBatch?: number;
  /** Transactions in flight at once (2: on two cores more only add lock waits; see bench/RESULTS.md). */
  lanes?: number;
}

/** An ordinary message (not a command) from a known member in a linked space or a direct chat. */
export interface HeardMessage {
  message: InboundMessage;
  community: Community;
  /** Null in a direct chat. */
  space: Space | null;
  member: Member;
  /** The member's language for anything said back. */
  language: Language;
  now: Date;
  /** Queues a message in the batch's transaction (sent after it commits). */
  queue(message: OutboxMessage): void;
}

/**
 * Something the core does with ordinary messages — an answer to a question, a message to bridge
 * to the other spaces — inside the batch's transaction. Returns a name for what it did (counted
 * as the message's `command` in the figures), or nothing when the message was not its business.
 */
export type MessageListener = (tx: Tx, heard: HeardMessage) => Promise<string | void>;

/** One message on its way through a batch. */
export interface Work {
  index: number;
  /** A `link` command in a conversation not linked yet: the one thing the bot answers there. */
  linking?: boolean;
  message: InboundMessage;
  parsed: ParsedCommand | null;
  entry: { command: Command; language: Community['language'] | null } | null;
  space: Space | null;
  community: Community | null;
  member: Member | null;
}
