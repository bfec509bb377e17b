import type { ChannelEvent, InboundMessage, MediaKind } from '../../src/core/channel.js';
import type { WaGroupNotification, WaId, WaMessage, WaMessageId, WaPollVote } from './client.js';

/** `whatsapp:<chat id>` → the chat id; null for anything that is not a WhatsApp chat. */
export function chatIdOf(address: string): string | null {
  const match = /^whatsapp:([^@\s]+@(?:g\.us|c\.us|lid|s\.whatsapp\.net))$/.exec(address);
  return match ? match[1]! : null;
}

export const isGroup = (chatId: string) => chatId.endsWith('@g.us');
/** A person's chat: a phone-number id or a hidden-number (`@lid`) id. */
export const isPerson = (chatId: string) => /@(c\.us|lid|s\.whatsapp\.net)$/.test(chatId);

export const serialized = (id: string | WaId | undefined | null): string | undefined =>
  id == null ? undefined : typeof id === 'string' ? id : id._serialized;

/**
 * A push name as a display name, unless it is a phone number: some people set their number as
 * their name, and members must never see each other's numbers.
 */
export function safeDisplayName(name: string | undefined | null): string | undefined {
  const trimmed = name?.trim();
  if (!trimmed) return undefined;
  if (/^[+\d\s\-().]+$/.test(trimmed) && trimmed.replace(/\D/g, '').length >= 5) return undefined;
  return trimmed.slice(0, 100);
}

/** Message types that carry text a member typed. Stickers, reactions and the like are skipped. */
const TEXT_TYPES = new Set(['chat']);
/** Files a member sent, which the bridge carries or announces; their `body` is the caption. */
const MEDIA_TYPES: Record<string, MediaKind> = { image: 'photo', document: 'document', video: 'video', audio: 'audio', ptt: 'audio' };

/** Who we are on WhatsApp: our phone id, and our hidden-number id where WhatsApp told us. */
export interface Me {
  ids: string[];
}

/**
 * A whatsapp-web.js Message as an InboundMessage, or null for what the core has no use for: our
 * own messages, status updates and broadcasts, channels, and non-text messages.
 */
export function toInbound(msg: WaMessage, me: Me, displayName: string | undefined): InboundMessage | null {
  if (msg.fromMe || msg.id.fromMe) return null;
  if (msg.isStatus || msg.broadcast || msg.from === 'status@broadcast' || msg.from.endsWith('@broadcast')) return null;
  const media = MEDIA_TYPES[msg.type];
  if (!TEXT_TYPES.has(msg.type) && !media) return null;
  const group = isGroup(msg.from);
  if (!group && !isPerson(msg.from)) return null; // newsletters (channels) and the like
  const sender = group ? msg.author : msg.from;
  if (!sender) return null;
  const mentionedIds = (msg.mentionedIds ?? []).map(serialized);
  const mentioned = me.ids.some((id) => mentionedIds.includes(id));
  return {
    channel: 'whatsapp',
    externalMessageId: msg.id._serialized,
    space: { externalId: msg.from, direct: !group },
    sender: { externalId: sender, ...(displayName ? { displayName } : {}) },
    text: mentioned ? stripMentions(msg.body ?? '', me) : (msg.body ?? ''),
    ...(mentioned ? { mentioned: true } : {}),
    ...(media ? { media: { kind: media } } : {}),
  };
}

/**
 * An edit (`message_edit`) or a deletion for everyone (`message_revoke_everyone`) of a member's
 * message, as the core's event; null for the bot's own and for chats that are not groups.
 */
export function toMessageChange(kind: 'edit' | 'delete', msg: WaMessage, newBody?: string): ChannelEvent | null {
  if (msg.fromMe || msg.id.fromMe || !isGroup(msg.from)) return null;
  const sender = msg.author;
  if (!sender) return null;
  const base = { channel: 'whatsapp' as const, space: { externalId: msg.from }, sender: { externalId: sender }, externalMessageId: msg.id._serialized };
  if (kind === 'delete') return { kind: 'message-deleted', ...base, externalEventId: `revoke:${msg.id._serialized}` };
  const body = newBody ?? msg.body ?? '';
  return { kind: 'message-edited', ...base, externalEventId: `edit:${msg.id._serialized}:${hash(body)}`, text: body };
}

/** A short hash, so two edits of a message to different texts are two events. */
function hash(text: string): string {
  let h = 0;
  for (let i = 0; i < text.length; i++) h = (Math.imul(h, 31) + text.charCodeAt(i)) | 0;
  return (h >>> 0).toString(36);
}

/** What a quoted reply answers: the quoted message's id, and the first line of its text. */
export function quotedReference(externalMessageId: string, body: string | undefined): NonNullable<InboundMessage['inReplyTo']> {
  const first = firstLine(body);
  return { externalMessageId, ...(first ? { text: first } : {}) };
}

/** The first line of a text, at most 200 characters: enough to recognise it. */
export function firstLine(text: string | undefined): string | undefined {
  const line = text?.split('\n').find((l) => l.trim() !== '')?.trim();
  return line ? line.slice(0, 200) : undefined;
}

/**
 * An @mention of the bot is written into the body as `@<number>` (or `@<lid number>`): take it
 * out, so `@31612345678 help` reads as `help`.
 */
function stripMentions(body: string, me: Me): string {
  let text = body;
  for (const id of me.ids) {
    const user = id.split('@')[0];
    if (user) text = text.split(`@${user}`).join(' ');
  }
  return text.replace(/\s+/g, ' ').trim();
}

/** The chat a message key belongs to. */
const remoteOf = (id: WaMessageId | undefined | null): string | undefined => serialized(id?.remote);

/**
 * A native poll vote as an InboundMessage with a poll-vote action. `labels` finds the option
 * names when whatsapp-web.js could not (it names options from the poll message it has loaded).
 * The id is stable per voter and moment, so a redelivered vote has one effect and a changed vote
 * counts again.
 */
export function voteToInbound(vote: WaPollVote, labels: (pollId: string) => string[] | undefined): InboundMessage | null {
  const pollId = vote.parentMessage?.id?._serialized ?? vote.parentMsgKey?._serialized;
  const chatId = remoteOf(vote.parentMessage?.id) ?? remoteOf(vote.parentMsgKey) ?? vote.parentMessage?.to;
  if (!pollId || !chatId || !vote.voter) return null;
  const known = labels(pollId);
  const options = vote.selectedOptions
    .map((o) => o.name ?? known?.[o.localId])
    .filter((name): name is string => typeof name === 'string');
  return {
    channel: 'whatsapp',
    externalMessageId: `vote:${pollId}:${vote.voter}:${vote.interractedAtTs}`,
    space: { externalId: chatId, direct: !isGroup(chatId) },
    sender: { externalId: vote.voter },
    text: '',
    action: { kind: 'poll-vote', pollMessageId: pollId, options },
  };
}

/**
 * group_join / group_leave as a channel event. Someone adding the bot to a group is `bot-added`
 * (the bot's own id among the recipients); the bot itself leaving or being removed is no event
 * the core can act on.
 */
export function notificationToEvent(
  kind: 'join' | 'leave',
  n: WaGroupNotification,
  me: Me,
  names: Map<string, string>,
): ChannelEvent | null {
  const ids = n.recipientIds.map(serialized).filter((id): id is string => !!id);
  const others = ids.filter((id) => !me.ids.includes(id));
  const botAmong = others.length < ids.length;
  const externalEventId = n.id._serialized;
  if (kind === 'join') {
    if (botAmong) return { kind: 'bot-added', channel: 'whatsapp', externalEventId, space: { externalId: n.chatId, direct: false } };
    if (others.length === 0) return null;
    return {
      kind: 'members-joined',
      channel: 'whatsapp',
      externalEventId,
      space: { externalId: n.chatId },
      members: others.map((id) => {
        const displayName = safeDisplayName(names.get(id));
        return { externalId: id, ...(displayName ? { displayName } : {}) };
      }),
    };
  }
  if (botAmong || others.length === 0) return null;
  return {
    kind: 'members-left',
    channel: 'whatsapp',
    externalEventId,
    space: { externalId: n.chatId },
    members: others.map((id) => ({ externalId: id })),
  };
}

/** Link commands must reach the core from unlinked groups; the group's name helps it name the space. */
export const looksLikeLinkCommand = (text: string) => /^\s*[/!]?\s*(link|koppel)\b/i.test(text);
