/**
 * The parts of a Bot Framework activity this adapter reads, and the check that an inbound body
 * has them before botbuilder sees it (botbuilder answers 500 or crashes on some malformed bodies).
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference#activity-object
 */

export interface ChannelAccount {
  id: string;
  name?: string;
  aadObjectId?: string;
}

export interface TeamsActivity {
  type: string;
  id: string;
  name?: string;
  action?: string;
  channelId?: string;
  serviceUrl: string;
  timestamp?: string | Date;
  locale?: string;
  text?: string;
  value?: unknown;
  replyToId?: string;
  from: ChannelAccount;
  recipient?: ChannelAccount;
  conversation: { id: string; conversationType?: string; tenantId?: string; isGroup?: boolean; name?: string };
  membersAdded?: ChannelAccount[];
  membersRemoved?: ChannelAccount[];
  entities?: { type?: string; text?: string; locale?: string; mentioned?: ChannelAccount }[];
  attachments?: { contentType?: string; contentUrl?: string; name?: string }[];
  channelData?: {
    /** messageUpdate: editMessage, undeleteMessage; messageDelete: softDeleteMessage. */
    eventType?: string;
    tenant?: { id?: string };
    team?: { id?: string; name?: string };
    channel?: { id?: string; name?: string };
  };
}

/** Longest inbound text we accept: Teams caps a message at about 28 KB. */
export const MAX_ACTIVITY_TEXT = 40_000;
const MAX_ID = 1_000;
const MAX_MEMBERS = 1_000;

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const isId = (v: unknown): v is string => typeof v === 'string' && v.trim() !== '' && v.length <= MAX_ID;

/** What is wrong with an inbound body (a sentence for the 400), or null when it can be handled. */
export function activityProblem(body: unknown): string | null {
  if (!isObject(body)) return 'the body must be a JSON object (a Bot Framework activity)';
  if (!isId(body.type)) return 'type must be a non-empty string';
  if (!isId(body.id)) return 'id must be a non-empty string of at most 1000 characters (the activity id)';
  if (!isObject(body.conversation) || !isId(body.conversation.id)) return 'conversation.id must be a non-empty string of at most 1000 characters';
  if (!isObject(body.from) || !isId(body.from.id)) return 'from.id must be a non-empty string of at most 1000 characters';
  for (const key of ['name', 'aadObjectId'] as const) {
    const v = body.from[key];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > MAX_ID)) return `from.${key} must be a string of at most 1000 characters`;
  }
  if (body.recipient !== undefined && (!isObject(body.recipient) || !isId(body.recipient.id))) return 'recipient.id must be a non-empty string';
  if (typeof body.serviceUrl !== 'string' || body.serviceUrl.length > 2_000) return 'serviceUrl must be an http(s) URL';
  try {
    const url = new URL(body.serviceUrl);
    if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error('protocol');
  } catch {
    return 'serviceUrl must be an http(s) URL';
  }
  if (body.text !== undefined && body.text !== null) {
    if (typeof body.text !== 'string') return 'text must be a string';
    if (body.text.length > MAX_ACTIVITY_TEXT) return `text must be at most ${MAX_ACTIVITY_TEXT} characters`;
  }
  for (const key of ['membersAdded', 'membersRemoved'] as const) {
    const list = body[key];
    if (list === undefined || list === null) continue;
    if (!Array.isArray(list) || list.length > MAX_MEMBERS || !list.every((m) => isObject(m) && isId(m.id))) {
      return `${key} must be a list of at most ${MAX_MEMBERS} accounts, each with an id`;
    }
  }
  if (body.entities !== undefined && body.entities !== null && !(Array.isArray(body.entities) && body.entities.every(isObject))) {
    return 'entities must be a list of objects';
  }
  if (body.channelData !== undefined && body.channelData !== null && !isObject(body.channelData)) return 'channelData must be an object';
  for (const key of ['locale', 'name', 'action', 'replyToId', 'timestamp', 'channelId'] as const) {
    const v = body[key];
    if (v !== undefined && v !== null && (typeof v !== 'string' || v.length > MAX_ID)) return `${key} must be a string of at most 1000 characters`;
  }
  return null;
}
