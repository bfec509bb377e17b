import { addressOf, type ChannelEvent, type InboundMedia, type InboundMessage, type OutboundMessage } from '../../src/core/channel.js';
import type { Language } from '../../src/db/schema/index.js';
import type { ChannelAccount, TeamsActivity } from './teams.activity.js';

/**
 * A reply in a channel thread arrives on `19:…@thread.tacv2;messageid=<root post id>`: the
 * channel is the part before `;messageid=`, and writing to the full id lands in the thread.
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/channel-and-group-conversations
 */
const THREAD_MARK = ';messageid=';

/** The conversation (channel, group chat, personal chat) an activity's conversation id belongs to. */
export const spaceIdOf = (conversationId: string) => {
  const at = conversationId.indexOf(THREAD_MARK);
  return at === -1 ? conversationId : conversationId.slice(0, at);
};

/** The Teams conversation id behind a `teams:<conversation id>` address. */
export const conversationIdOf = (address: string) => (address.startsWith('teams:') ? address.slice('teams:'.length) : address);

/** The person behind an account: the Entra (AAD) object id is the same in every chat and team. */
const personOf = (account: ChannelAccount) => account.aadObjectId?.trim() || account.id;

/** Teams' locale (`nl-NL`, `en-GB`) as one of our languages, if it is one. */
export function languageOf(activity: TeamsActivity): Language | undefined {
  const locale = activity.locale ?? activity.entities?.find((e) => e.type === 'clientInfo')?.locale;
  const tag = locale?.toLowerCase() ?? '';
  if (tag === 'nl' || tag.startsWith('nl-')) return 'nl';
  if (tag === 'en' || tag.startsWith('en-')) return 'en';
  return undefined;
}

const ENTITIES: Record<string, string> = { '&nbsp;': ' ', '&amp;': '&', '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'" };

/**
 * The text with the bot's @mention taken out, and whether it was there. Teams puts
 * `<at>Bot name</at>` in the text and a `mention` entity naming the bot's id; a client may also
 * send a little HTML (`<p>`), which we drop.
 */
export function stripMention(activity: TeamsActivity): { text: string; mentioned: boolean } {
  let text = activity.text ?? '';
  let mentioned = false;
  const botId = activity.recipient?.id;
  for (const entity of activity.entities ?? []) {
    if (entity.type !== 'mention' || !botId || entity.mentioned?.id !== botId) continue;
    mentioned = true;
    if (entity.text) text = text.split(entity.text).join(' ');
  }
  text = text
    .replace(/<at>[^<]*<\/at>/gi, (m) => (mentioned ? ' ' : m.replace(/<\/?at>/gi, '')))
    .replace(/<br\s*\/?>/gi, '\n')
    .replace(/<\/?(?:p|div|span)\b[^>]*>/gi, ' ')
    .replace(/&(?:nbsp|amp|lt|gt|quot|#39);/g, (e) => ENTITIES[e]!)
    .replace(/[ \t\u00a0]+/g, ' ')
    .trim();
  return { text, mentioned };
}

/** The command a card button carries: `Action.Submit` data, or an `adaptiveCard/action` invoke's. */
export function cardCommandOf(activity: TeamsActivity): string | null {
  const value = activity.value as Record<string, unknown> | undefined;
  if (typeof value !== 'object' || value === null) return null;
  const data = activity.type === 'invoke' ? (value.action as { data?: unknown } | undefined)?.data : value;
  const command = (data as { samen?: unknown } | undefined)?.samen;
  return typeof command === 'string' && command.trim() !== '' ? command.trim().slice(0, 1_000) : null;
}

const isDirect = (activity: TeamsActivity) => activity.conversation.conversationType === 'personal';

/** Where replies go when they are not the space itself: a channel thread. */
function replyAddressOf(activity: TeamsActivity): string | undefined {
  return activity.conversation.id === spaceIdOf(activity.conversation.id) ? undefined : addressOf('teams', activity.conversation.id);
}

/**
 * A message in a channel thread answers the thread's root post (a question the bot posted, say):
 * its id is the part after `;messageid=`.
 */
function threadRootOf(activity: TeamsActivity): InboundMessage['inReplyTo'] {
  const at = activity.conversation.id.indexOf(THREAD_MARK);
  const root = at === -1 ? '' : activity.conversation.id.slice(at + THREAD_MARK.length);
  return root && root !== activity.id ? { externalMessageId: root } : undefined;
}

/** A conversation's name, where Teams tells it (team and channel names only come with some events). */
function spaceNameOf(activity: TeamsActivity): string | undefined {
  const data = activity.channelData;
  const name = data?.channel?.name ?? (activity.conversation.conversationType === 'channel' ? data?.team?.name : undefined) ?? activity.conversation.name;
  return name?.trim() ? name.trim().slice(0, 200) : undefined;
}

/**
 * A file that came with a message: a pasted or attached image, or a file from OneDrive/SharePoint.
 * Only what it is: fetching the bytes needs the bot's token (images) or Graph (files), so the
 * bridge announces them instead of carrying them.
 */
export function mediaOf(activity: TeamsActivity): InboundMedia | undefined {
  for (const a of activity.attachments ?? []) {
    const type = a.contentType ?? '';
    if (type.startsWith('image/')) return { kind: 'photo', mimetype: type, ...(a.name ? { filename: a.name } : {}) };
    if (type === 'application/vnd.microsoft.teams.file.download.info') return { kind: 'document', ...(a.name ? { filename: a.name } : {}) };
    if (type.startsWith('video/')) return { kind: 'video', mimetype: type };
    if (type.startsWith('audio/')) return { kind: 'audio', mimetype: type };
  }
  return undefined;
}

/** The bot's own posts never come back to it; if one does (a misbehaving client), it is not a member's. */
const fromBot = (activity: TeamsActivity) => activity.recipient !== undefined && activity.from.id === activity.recipient.id;

/** A message or card submit as the core's InboundMessage; null when there is nothing to hand over. */
export function toInboundMessage(activity: TeamsActivity): InboundMessage | null {
  if (fromBot(activity)) return null;
  const command = cardCommandOf(activity);
  const { text, mentioned } = stripMention(activity);
  const media = command ? undefined : mediaOf(activity);
  if (!command && text === '' && !media) return null;
  const name = activity.from.name?.trim();
  return {
    channel: 'teams',
    externalMessageId: activity.id,
    space: { externalId: spaceIdOf(activity.conversation.id), name: spaceNameOf(activity), direct: isDirect(activity) },
    sender: { externalId: personOf(activity.from), ...(name ? { displayName: name } : {}) },
    text,
    mentioned: mentioned || Boolean(command),
    replyAddress: replyAddressOf(activity),
    locale: languageOf(activity),
    ...(threadRootOf(activity) ? { inReplyTo: threadRootOf(activity) } : {}),
    ...(command ? { action: { kind: 'command', command } } : {}),
    ...(media ? { media } : {}),
  };
}

/**
 * A member editing (`messageUpdate`, eventType editMessage) or deleting (`messageDelete`,
 * softDeleteMessage) a message, as the core's event; null for anything else. Teams sends these
 * for the messages the bot can read (every channel message with RSC, see the manifest).
 */
export function toMessageChange(activity: TeamsActivity): ChannelEvent | null {
  if (fromBot(activity)) return null;
  const eventType = activity.channelData?.eventType;
  const base = {
    channel: 'teams' as const,
    space: { externalId: spaceIdOf(activity.conversation.id) },
    sender: { externalId: personOf(activity.from) },
    externalMessageId: activity.id,
  };
  if (activity.type === 'messageUpdate' && eventType === 'editMessage') {
    const { text } = stripMention(activity);
    const at = activity.timestamp ? new Date(activity.timestamp).getTime() : Date.now();
    return { kind: 'message-edited', ...base, externalEventId: `edit:${activity.id}:${at}`, text };
  }
  if (activity.type === 'messageDelete' && eventType === 'softDeleteMessage') {
    return { kind: 'message-deleted', ...base, externalEventId: `delete:${activity.id}` };
  }
  return null;
}

/**
 * A reply in a channel is a post in the thread under the message it answers; group and personal
 * chats have no threads (null: the core quotes instead).
 */
export function threadAddressOf(address: string, rootExternalId: string): string | null {
  const conversationId = conversationIdOf(address);
  if (conversationId.includes(THREAD_MARK)) return address;
  if (!/@thread\.(tacv2|skype)$/.test(conversationId)) return null;
  return `${address}${THREAD_MARK}${rootExternalId}`;
}

/**
 * The day an activity happened, UTC. Installing the bot in a team sends both an
 * `installationUpdate` and a `conversationUpdate` naming the bot, with different ids: keying the
 * greeting by conversation and day makes the two one event (and a re-install the same day quiet).
 */
function dayOf(activity: TeamsActivity): string {
  // botbuilder turns `timestamp` into a Date before our turn runs; a string when called directly.
  const at = activity.timestamp ? new Date(activity.timestamp) : new Date();
  return (Number.isNaN(at.getTime()) ? new Date() : at).toISOString().slice(0, 10);
}

/**
 * The app uninstalled from a conversation (`remove`; `remove-upgrade` is the old version going
 * during an upgrade, and the bot stays).
 * https://learn.microsoft.com/microsoftteams/platform/bots/how-to/conversations/subscribe-to-conversation-events#install-update-event
 */
export const isUninstall = (activity: TeamsActivity) => activity.type === 'installationUpdate' && activity.action === 'remove';

/** The core's events for a conversationUpdate or installationUpdate; empty when none applies. */
export function toChannelEvents(activity: TeamsActivity): ChannelEvent[] {
  const space = spaceIdOf(activity.conversation.id);
  const botId = activity.recipient?.id;
  const locale = languageOf(activity);
  const replyAddress = replyAddressOf(activity);
  const botAdded = (): ChannelEvent => ({
    kind: 'bot-added',
    channel: 'teams',
    externalEventId: `bot-added:${space}:${dayOf(activity)}`,
    space: { externalId: space, name: spaceNameOf(activity), direct: isDirect(activity) },
    ...(replyAddress ? { replyAddress } : {}),
    ...(locale ? { locale } : {}),
  });

  if (activity.type === 'installationUpdate') {
    if (isUninstall(activity)) return [{ kind: 'bot-removed', channel: 'teams', externalEventId: `bot-removed:${activity.id}`, space: { externalId: space } }];
    return activity.action === 'add' || activity.action === 'add-upgrade' ? [botAdded()] : [];
  }
  if (activity.type !== 'conversationUpdate') return [];

  const events: ChannelEvent[] = [];
  const added = activity.membersAdded ?? [];
  if (added.some((m) => m.id === botId)) events.push(botAdded());
  const joined = added.filter((m) => m.id !== botId);
  if (joined.length > 0) {
    events.push({
      kind: 'members-joined',
      channel: 'teams',
      externalEventId: `${activity.id}:joined`,
      space: { externalId: space, name: spaceNameOf(activity) },
      members: joined.map((m) => ({ externalId: personOf(m), ...(m.name?.trim() ? { displayName: m.name.trim() } : {}) })),
      ...(replyAddress ? { replyAddress } : {}),
      ...(locale ? { locale } : {}),
    });
  }
  const left = (activity.membersRemoved ?? []).filter((m) => m.id !== botId);
  if (left.length > 0) {
    events.push({
      kind: 'members-left',
      channel: 'teams',
      externalEventId: `${activity.id}:left`,
      space: { externalId: space },
      members: left.map((m) => ({ externalId: personOf(m) })),
    });
  }
  return events;
}

/**
 * What we keep to write to a conversation later: botbuilder's ConversationReference without the
 * parts that change with every message (activity id, sender, locale), so it is written once per
 * conversation rather than once per message.
 */
export function referenceFor(activity: TeamsActivity, conversationId: string): Record<string, unknown> {
  const tenantId = activity.conversation.tenantId ?? activity.channelData?.tenant?.id;
  return {
    channelId: activity.channelId ?? 'msteams',
    serviceUrl: activity.serviceUrl,
    conversation: {
      id: conversationId,
      ...(activity.conversation.conversationType ? { conversationType: activity.conversation.conversationType } : {}),
      ...(activity.conversation.isGroup !== undefined ? { isGroup: activity.conversation.isGroup } : {}),
      ...(tenantId ? { tenantId } : {}),
    },
    ...(activity.recipient ? { bot: { id: activity.recipient.id, ...(activity.recipient.name ? { name: activity.recipient.name } : {}) } } : {}),
  };
}

/**
 * The address an activity tells us how to reach, with its reference: the space. A thread is
 * reached through its channel's reference with the thread's conversation id (see threadReference),
 * so a new thread costs no write: with a commit per reference, writing one per thread capped
 * /api/messages at ~300 activities/s on PostgreSQL.
 */
export function referencesOf(activity: TeamsActivity): [address: string, reference: Record<string, unknown>][] {
  const space = spaceIdOf(activity.conversation.id);
  return [[addressOf('teams', space), referenceFor(activity, space)]];
}

/** The reference for a thread of a channel, from the channel's own. */
export function threadReference(channelReference: Record<string, unknown>, threadConversationId: string): Record<string, unknown> {
  const conversation = (channelReference.conversation ?? {}) as Record<string, unknown>;
  return { ...channelReference, conversation: { ...conversation, id: threadConversationId } };
}

/**
 * The core's text in Teams markdown. The catalogues mark bold WhatsApp-style (`*help*`), which
 * Teams would show in italics; `<…>` placeholders (`<community-slug>`) would vanish as HTML tags;
 * and Teams joins single line breaks, so they become `<br>`.
 */
export function toTeamsMarkdown(text: string): string {
  // One hand-written pass: every reply goes through here, and the help text is 2 KB. The regex
  // it replaces (the reference in test/teams/markdown.test.ts) took 24 µs for the help text,
  // this 14.
  let out = '';
  let last = 0;
  const end = text.length;
  for (let at = 0; at < end; at++) {
    const c = text.charCodeAt(at);
    if (c > GT && c !== STAR) continue;
    let piece: string;
    let next = at + 1;
    if (c === STAR) {
      // `*bold*`: not inside a word or `**`, on one line, closed by the next star.
      if (at > 0 && boldEdge(text.charCodeAt(at - 1))) continue;
      let close = at + 1;
      let d = 0;
      while (close < end && (d = text.charCodeAt(close)) !== STAR && d !== LF) close++;
      if (close === at + 1 || close >= end || d !== STAR || (close + 1 < end && boldEdge(text.charCodeAt(close + 1)))) continue;
      piece = `**${escapeHtml(text.slice(at + 1, close))}**`;
      next = close + 1;
    } else if (c === LF) piece = '<br>';
    else if (c === CR) {
      if (text.charCodeAt(at + 1) !== LF) continue;
      piece = '<br>';
      next = at + 2;
    } else if (c === AMP) piece = '&amp;';
    else if (c === LT) piece = '&lt;';
    else if (c === GT) piece = '&gt;';
    else continue;
    out += text.slice(last, at) + piece;
    last = next;
    at = next - 1;
  }
  return last === 0 ? text : out + text.slice(last);
}

const STAR = 42, CR = 13, LF = 10, AMP = 38, LT = 60, GT = 62;
/** A star next to a word character (`\w`) or another star does not open or close bold. */
const boldEdge = (c: number) => c === STAR || c === 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122);
const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;' };
const escapeHtml = (text: string) => (/[&<>]/.test(text) ? text.replace(/[&<>]/g, (c) => HTML_ESCAPES[c]!) : text);

/** Card text (Adaptive Card TextBlock markdown): bold as `**`, no HTML, paragraphs for line breaks. */
function toCardMarkdown(text: string): string {
  return text.replace(/(^|[^*\w])\*([^*\n]+?)\*(?![*\w])/g, '$1**$2**').replace(/\r?\n/g, '\n\n');
}

/**
 * The activity for an outbound message: Teams markdown text, or an Adaptive Card with a
 * button per action or poll option. A button's `Action.Submit` data `{ samen: <command> }`
 * comes back as a message activity with that `value`, which we hand to the core as an action.
 * Adaptive Card 1.4: the newest schema Teams renders on every client, mobile included.
 */
export function toActivity(message: OutboundMessage): Record<string, unknown> {
  // An image travels inline, as a data URI: no upload, no Graph permission, any conversation.
  // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/agents-inline-images
  if (message.media?.kind === 'photo') {
    const { mimetype, data, filename } = message.media;
    return {
      type: 'message',
      text: toTeamsMarkdown(message.text),
      textFormat: 'markdown',
      attachments: [{ contentType: mimetype, contentUrl: `data:${mimetype};base64,${data}`, ...(filename ? { name: filename } : {}) }],
    };
  }
  const buttons = message.poll?.options ?? message.actions ?? [];
  if (buttons.length === 0) return { type: 'message', text: toTeamsMarkdown(message.text), textFormat: 'markdown' };
  const body: Record<string, unknown>[] = message.poll
    ? [
        { type: 'TextBlock', text: toCardMarkdown(message.poll.question), wrap: true, weight: 'Bolder', size: 'Medium' },
        ...(message.text && message.text !== message.poll.question ? [{ type: 'TextBlock', text: toCardMarkdown(message.text), wrap: true, isSubtle: true }] : []),
      ]
    : [{ type: 'TextBlock', text: toCardMarkdown(message.text), wrap: true }];
  return {
    type: 'message',
    // Shown in notifications and the chat list, where a card has no text of its own.
    summary: (message.poll?.question ?? message.text).slice(0, 200),
    attachments: [
      {
        contentType: 'application/vnd.microsoft.card.adaptive',
        content: {
          $schema: 'http://adaptivecards.io/schemas/adaptive-card.json',
          type: 'AdaptiveCard',
          version: '1.4',
          body,
          actions: buttons.map((b) => ({ type: 'Action.Submit', title: b.label.slice(0, 100), data: { samen: b.command } })),
        },
      },
    ],
  };
}
