import type { Tx } from '../../db/client.js';
import type { ChannelName, Community, Language, Member, Space } from '../../db/schema/index.js';
import type { InboundMessage } from '../channel.js';
import type { MessageKey, Params } from '../i18n/index.js';

/** What a command gets to work with: everything it writes goes through `tx`. */
export interface CommandContext {
  tx: Tx;
  community: Community;
  member: Member;
  /** The language to answer in; a command may change it (e.g. `profile language`). */
  language: Language;
  now: Date;
  /** True in a direct chat with the bot. */
  direct: boolean;
  /** The channel the command came on (what a reply can show: buttons on Teams). */
  channel: ChannelName;
  /** The group or channel the command was sent in; absent in a direct chat. */
  space?: Space | null;
  /** How the command came: typed, a button (Teams card), or a native poll vote (WhatsApp). */
  via: 'text' | 'button' | 'poll';
  /** The message the command came in, and its group or channel (null in a direct chat). */
  origin?: { message: InboundMessage; space: Space | null };
  /** A catalogue text in the answer language, to build a reply from. */
  t(key: MessageKey, params?: Params): string;
  /** Queues a reply from the catalogue in the member's language. */
  reply(key: MessageKey, params?: Params): void;
  /** Queues a reply made of several catalogue lines. */
  replyLines(lines: [MessageKey, Params?][]): void;
  /** A reply with buttons, each standing for a command (Teams shows a card; WhatsApp the text). */
  replyWith?(lines: [MessageKey, Params?][], extra: { actions: { label: string; command: string }[] }): void;
}

/** A chat command with its English and Dutch words. */
export interface Command {
  name: string;
  words: Record<Language, string[]>;
  /** Lines it adds to `help`. */
  help: MessageKey[];
  /** It only reads: later messages in the same batch need not re-read the member. */
  readOnly?: boolean;
  run(ctx: CommandContext, args: string): Promise<void>;
}

/** Looks commands up by any of their words, in either language. */
export function createCommandTable(commands: Command[]) {
  // language is null for a word both languages use ("help"): it says nothing about the member.
  const byWord = new Map<string, { command: Command; language: Language | null }>();
  for (const command of commands) {
    for (const [language, words] of Object.entries(command.words) as [Language, string[]][]) {
      for (const word of words) {
        const seen = byWord.get(word);
        byWord.set(word, { command, language: seen && seen.language !== language ? null : language });
      }
    }
  }
  return {
    commands,
    find: (word: string) => byWord.get(word) ?? null,
    words: () => byWord.keys(),
  };
}

export type CommandTable = ReturnType<typeof createCommandTable>;
