import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Logger } from 'pino';
import type { AdapterCore, ChannelAdapter } from '../../src/adapter.js';
import { addressOf, ChannelDeferral, ChannelSendError, type ChannelPort, type ChannelStatus, type OutboundMessage } from '../../src/core/channel.js';
import { sendProblem } from '../../src/http/plugins/errors.js';
import { BoundedMap } from './bounded-map.js';
import { createBot, type AuthEndpoints, type Bot } from './teams.bot.js';
import type { TeamsConfig } from './config.js';
import { activityProblem, type TeamsActivity } from './teams.activity.js';
import { mapSendError } from './teams.errors.js';
import { cardCommandOf, conversationIdOf, isUninstall, referencesOf, spaceIdOf, threadAddressOf, threadReference, toActivity, toChannelEvents, toInboundMessage, toMessageChange } from './teams.mapper.js';
import { createRateLimiter } from './teams.rate-limit.js';

export { loadTeamsConfig, type TeamsConfig } from './config.js';
export type { AuthEndpoints } from './teams.bot.js';

export interface TeamsAdapterDeps {
  config: TeamsConfig;
  core: AdapterCore;
  logger: Logger;
  /** Where tokens from Teams are checked (tests serve their own OpenID metadata and keys). */
  authEndpoints?: AuthEndpoints;
  /** Milliseconds now, for the rate limits. */
  now?: () => number;
  /** How long one post to the Bot Connector may take (default 15 s). */
  sendTimeoutMs?: number;
  /** Per-conversation limits (Microsoft: 7 a second, 60 per 30 s). */
  conversationPerSecond?: number;
  conversationPer30s?: number;
}

/** Longest text one Teams message carries: about 28 KB (Bot Framework's message size limit). */
const MAX_TEXT = 28_000;
/** Largest image sent inline (as a data URI in the message); larger ones are announced instead. */
const MAX_INLINE_IMAGE = 1_048_576;
/** Conversation references kept in memory; beyond this the oldest are forgotten (they stay in the database). */
const MAX_CACHED_REFERENCES = 50_000;
/** Outbox ids whose last post may have landed; a second such failure is not retried. */
const MAX_AMBIGUOUS = 10_000;

const NO_REFERENCE = 'waiting for the first activity from this conversation (no conversation reference yet)';

/** The HTTP answer to an activity when it is not a plain 200: an invoke's status and body. */
type TurnResult = { status: number; body?: unknown } | undefined;

const isLoopback = (ip: string) => ip === '::1' || ip.startsWith('127.') || ip.startsWith('::ffff:127.');

/**
 * The Teams channel: hosts the Bot Framework endpoint `POST /api/messages` (authenticated by
 * botbuilder, see teams.bot.ts), hands messages, card submits and membership changes to the core,
 * remembers how to reach each conversation, and posts the outbox's messages proactively.
 */
export function createTeamsAdapter(deps: TeamsAdapterDeps): ChannelAdapter {
  const { config, core, logger } = deps;
  const local = config.appId === null;
  const bot: Bot = createBot(config, deps.authEndpoints);
  const limiter = createRateLimiter({
    appPerSecond: config.appRatePerSecond,
    conversationPerSecond: deps.conversationPerSecond,
    conversationPer30s: deps.conversationPer30s,
    now: deps.now,
  });
  const sendTimeoutMs = deps.sendTimeoutMs ?? 15_000;
  // Set again when a reference is saved or loaded, not when read: the least recently set go first.
  const references = new BoundedMap<string, string>(MAX_CACHED_REFERENCES);
  const ambiguous = new Set<string>();
  const inFlight = new Set<Promise<unknown>>();
  let since = new Date().toISOString();
  let stopped = false;

  /** Saves how to reach the activity's conversation, when that changed. */
  async function remember(activity: TeamsActivity) {
    for (const [address, reference] of referencesOf(activity)) {
      const json = JSON.stringify(reference);
      if (references.get(address) === json) continue;
      await core.references.put(address, 'teams', reference);
      references.set(address, json);
    }
  }

  async function storedReference(address: string): Promise<Record<string, unknown> | null> {
    const cached = references.get(address);
    if (cached) return JSON.parse(cached) as Record<string, unknown>;
    const stored = await core.references.get(address);
    if (stored) references.set(address, JSON.stringify(stored));
    return stored;
  }

  /**
   * How to reach an address: its own reference, or for a channel thread its channel's (threads
   * have none of their own, see referencesOf; looking one up would cost a query per reply).
   */
  async function referenceFor(address: string): Promise<Record<string, unknown> | null> {
    const conversationId = conversationIdOf(address);
    const space = spaceIdOf(conversationId);
    if (space === conversationId) return storedReference(address);
    const channel = await storedReference(addressOf('teams', space));
    return channel && threadReference(channel, conversationId);
  }

  /**
   * One turn: the activity, authenticated, reaches the core; resolves once it is committed, to
   * the HTTP answer when it is not a plain 200 (an invoke's response).
   */
  async function onTurn(activity: TeamsActivity): Promise<TurnResult> {
    // Uninstalled: the conversation's reference goes (the core deletes the stored one), so
    // nothing more is posted there until the app is installed again.
    if (isUninstall(activity)) references.delete(addressOf('teams', spaceIdOf(activity.conversation.id)));
    else await remember(activity);
    switch (activity.type) {
      case 'message': {
        const message = toInboundMessage(activity);
        if (message) await core.receive(message);
        return undefined;
      }
      case 'invoke': {
        if (activity.name !== 'adaptiveCard/action') return { status: 501 };
        const command = cardCommandOf(activity);
        const message = toInboundMessage(activity);
        if (message) await core.receive(message);
        // Universal Actions: 200 with a message keeps the card as it is and shows a short note.
        // https://learn.microsoft.com/microsoftteams/platform/task-modules-and-cards/cards/universal-actions-for-adaptive-cards/user-specific-views
        return {
          status: 200,
          body: command
            ? { statusCode: 200, type: 'application/vnd.microsoft.activity.message', value: `✓ ${command}` }
            : { statusCode: 400, type: 'application/vnd.microsoft.error', value: { code: 'BadRequest', message: 'This button carries no command.' } },
        };
      }
      case 'messageUpdate':
      case 'messageDelete': {
        const change = toMessageChange(activity);
        if (change) await core.receiveEvent(change);
        return undefined;
      }
      case 'conversationUpdate':
      case 'installationUpdate':
        for (const event of toChannelEvents(activity)) await core.receiveEvent(event);
        // Again once the stored reference is gone: a send in the meantime may have cached it.
        if (isUninstall(activity)) references.delete(addressOf('teams', spaceIdOf(activity.conversation.id)));
        return undefined;
      default:
        // typing, messageReaction, event, …: nothing for the community.
        return undefined;
    }
  }

  async function handle(request: FastifyRequest, reply: FastifyReply) {
    if (stopped) {
      return sendProblem(request, reply.header('retry-after', '5'), { status: 503, code: 'unavailable', detail: 'The server is stopping; Teams will send this again.' });
    }
    if (local && !isLoopback(request.ip)) {
      return sendProblem(request, reply, {
        status: 401,
        code: 'unauthorized',
        detail: 'This server runs without MICROSOFT_APP_ID (local mode) and accepts Bot Framework requests from this machine only',
      });
    }
    const problem = activityProblem(request.body);
    if (problem) return sendProblem(request, reply, { status: 400, code: 'invalid-activity', detail: `Not a Bot Framework activity we can handle: ${problem}` });
    const activity = request.body as TeamsActivity;
    if (!local) {
      const refused = await bot.checkToken(activity, request.headers.authorization ?? '');
      if (refused) {
        request.log.warn({ reason: refused, serviceUrl: activity.serviceUrl }, 'refused a Bot Framework request');
        return sendProblem(request, reply, { status: 401, code: 'unauthorized', detail: 'A valid Bot Framework token is required' });
      }
    }

    const work = onTurn(activity);
    inFlight.add(work);
    let result: TurnResult;
    try {
      result = await work;
    } catch (error) {
      // Not committed: Teams sends the activity again, and the inbound id makes that one effect.
      request.log.error({ err: error, activityId: activity.id }, 'a Teams activity could not be handled');
      return sendProblem(request, reply, { status: 500, code: 'internal', detail: 'Something went wrong on our side. Quote the request id when you report it.' });
    } finally {
      inFlight.delete(work);
    }
    if (!result) return reply.status(200).send();
    reply.status(result.status);
    return result.body === undefined ? reply.send() : reply.send(result.body);
  }

  async function send(message: OutboundMessage): Promise<{ externalId?: string }> {
    const conversationId = conversationIdOf(message.address);
    const reference = await referenceFor(message.address);
    if (!reference || typeof reference.serviceUrl !== 'string') throw new ChannelDeferral(NO_REFERENCE, 60_000);

    const wait = limiter.take(spaceIdOf(conversationId));
    if (wait > 0) {
      throw new ChannelDeferral(`holding back for ${wait} ms: Teams allows a bot 7 messages a second and 60 per 30 seconds per conversation, ${config.appRatePerSecond} a second in all`, wait);
    }

    if (message.operation) {
      try {
        await bot.change(reference, conversationId, message.operation, toActivity(message), sendTimeoutMs);
        return {};
      } catch (thrown) {
        // Changing a post twice does no harm: no ambiguity to guard against.
        throw mapSendError(thrown).error;
      }
    }

    try {
      const id = await bot.post(reference, conversationId, toActivity(message), sendTimeoutMs);
      ambiguous.delete(message.id);
      return id ? { externalId: id } : {};
    } catch (thrown) {
      const { error, ambiguous: mayHaveLanded } = mapSendError(thrown);
      if (!mayHaveLanded) {
        if (!error.retryable) ambiguous.delete(message.id);
        throw error;
      }
      if (ambiguous.has(message.id)) {
        ambiguous.delete(message.id);
        throw new ChannelSendError(`${error.message}; not tried a third time, as that could post it twice`, false);
      }
      ambiguous.add(message.id);
      if (ambiguous.size > MAX_AMBIGUOUS) ambiguous.delete(ambiguous.values().next().value!);
      throw new ChannelSendError(`${error.message}; trying once more`, true, error.retryAfterMs);
    }
  }

  const port: ChannelPort = {
    channel: 'teams',
    // Documents would need an upload to OneDrive/SharePoint through Graph: images only.
    capabilities: { maxTextLength: MAX_TEXT, cards: true, nativePolls: false, edits: true, media: { kinds: ['photo'], maxBytes: MAX_INLINE_IMAGE } },
    send,
    threadAddress: threadAddressOf,
    status(): ChannelStatus {
      return local
        ? {
            state: 'local',
            since,
            detail: 'No MICROSOFT_APP_ID: /api/messages accepts unauthenticated requests from this machine only (Agents Playground, Bot Framework Emulator). Set MICROSOFT_APP_ID and MICROSOFT_APP_PASSWORD to reach Teams.',
          }
        : { state: 'ready', since, account: config.appId!, detail: `Receiving at /api/messages as ${config.appType} app ${config.appId}` };
    },
  };

  return {
    port,
    routes: async (app: FastifyInstance) => {
      // Every activity Teams sends comes here: its request lines are logged at debug only.
      app.post('/api/messages', { schema: { hide: true }, config: { frequent: true } }, handle);
    },
    async start() {
      stopped = false;
      bot.warm();
      since = new Date().toISOString();
      if (local) {
        logger.warn('Teams: local mode (no MICROSOFT_APP_ID): /api/messages accepts unauthenticated requests from loopback addresses only');
      } else {
        logger.info({ appId: config.appId, appType: config.appType }, 'Teams: receiving at /api/messages');
      }
    },
    async stop() {
      stopped = true;
      await Promise.allSettled([...inFlight]);
      await bot.close().catch((error: unknown) => logger.warn({ err: error }, 'Teams: could not close the connections to the Bot Connector'));
    },
  };
}
