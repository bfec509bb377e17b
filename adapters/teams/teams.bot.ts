/**
 * Everything that touches botbuilder (archived by Microsoft; its successor is
 * @microsoft/agents-hosting): authenticating Teams' requests, addressing an outgoing activity,
 * and the token for posting proactively (connector.ts posts). Swapping the SDK means rewriting
 * this file only.
 *
 * No CloudAdapter: the adapter authenticates each request with the call CloudAdapter.process
 * makes (ConfigurationBotFrameworkAuthentication.authenticateRequest) and then hands the activity
 * to its turn itself. CloudAdapter's turn machinery (zod-parsing the activity again, a TurnContext,
 * a connector and a user-token client per turn, the middleware pipeline) gave the adapter nothing
 * it uses — it never answers inside the turn — and cost about a fifth of the server's CPU per
 * activity in bench/teams; with an app id it also checked each token a second time.
 */
import type { ConfigurationBotFrameworkAuthentication, ConfigurationBotFrameworkAuthenticationOptions, ConversationReference } from 'botbuilder';
import { BoundedMap } from './bounded-map.js';
import type { TeamsConfig } from './config.js';
import { createConnector } from './connector.js';
import type { TeamsActivity } from './teams.activity.js';

/** Where inbound tokens are checked; tests point these at a local OpenID document and keys. */
export interface AuthEndpoints {
  /** The OpenID metadata document whose `jwks_uri` lists the keys Teams signs with. */
  openIdMetadataUrl: string;
  /** The `iss` Teams' tokens carry (default https://api.botframework.com). */
  tokenIssuer?: string;
}

/**
 * Bot Framework public-cloud endpoints (botframework-connector's AuthenticationConstants), needed
 * in full once any one of them is overridden.
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-authentication
 */
const PUBLIC_CLOUD = {
  ToChannelFromBotLoginUrl: 'https://login.microsoftonline.com/botframework.com',
  ToChannelFromBotOAuthScope: 'https://api.botframework.com',
  ToBotFromChannelTokenIssuer: 'https://api.botframework.com',
  OAuthUrl: 'https://api.botframework.com',
  ToBotFromChannelOpenIdMetadataUrl: 'https://login.botframework.com/v1/.well-known/openidconfiguration',
  ToBotFromEmulatorOpenIdMetadataUrl: 'https://login.microsoftonline.com/common/v2.0/.well-known/openid-configuration',
  CallerId: 'urn:botframework:azure',
};

export interface Bot {
  /** Null when the Authorization header holds a valid token from Teams for this activity, else why not. */
  checkToken(activity: TeamsActivity, authorization: string): Promise<string | null>;
  /** Posts an activity to a conversation; resolves to the id Teams gave it. */
  post(reference: Record<string, unknown>, conversationId: string, activity: Record<string, unknown>, timeoutMs: number): Promise<string | undefined>;
  /** Edits (replaces) or deletes an activity the bot posted earlier. */
  change(reference: Record<string, unknown>, conversationId: string, operation: { kind: 'edit' | 'delete'; target: string }, activity: Record<string, unknown>, timeoutMs: number): Promise<void>;
  /** Starts loading botbuilder now, so the first request does not wait for it. */
  warm(): void;
  /** Closes the connections to the Bot Connector once the posts under way have their answers; a later post opens new ones. */
  close(): Promise<void>;
}

/** How long after start botbuilder is loaded, if no Teams request asked for it sooner. */
const WARM_AFTER_MS = 5_000;

type Library = typeof import('botbuilder');
let library: Promise<Library> | undefined;
/** botbuilder takes over a second to import: loaded once, by the first request or by warm(). */
const load = () => (library ??= import('botbuilder'));

export function createBot(config: TeamsConfig, endpoints?: AuthEndpoints): Bot {
  let bot: Promise<Omit<Bot, 'warm'>> | undefined;
  const get = () => (bot ??= load().then((lib) => createLoadedBot(lib, config, endpoints)));
  return {
    checkToken: async (...args) => (await get()).checkToken(...args),
    post: async (...args) => (await get()).post(...args),
    change: async (...args) => (await get()).change(...args),
    // Never loaded (or failed to): no connections to close.
    close: async () => (await bot?.catch(() => undefined))?.close(),
    // A few seconds after start: importing botbuilder keeps the one thread busy for a second, and
    // the server should answer its readiness probe (and the first requests) before that.
    warm: () => void setTimeout(() => void get().catch(() => {}), WARM_AFTER_MS).unref(),
  };
}

function createLoadedBot({ ConfigurationBotFrameworkAuthentication, TurnContext }: Library, config: TeamsConfig, endpoints?: AuthEndpoints): Omit<Bot, 'warm'> {
  const options: ConfigurationBotFrameworkAuthenticationOptions = {
    MicrosoftAppId: config.appId ?? '',
    MicrosoftAppPassword: config.appPassword ?? '',
    MicrosoftAppType: config.appType,
    MicrosoftAppTenantId: config.tenantId ?? '',
    ...(endpoints
      ? {
          ...PUBLIC_CLOUD,
          ToBotFromChannelOpenIdMetadataUrl: endpoints.openIdMetadataUrl,
          ToBotFromChannelTokenIssuer: endpoints.tokenIssuer ?? PUBLIC_CLOUD.ToBotFromChannelTokenIssuer,
        }
      : {}),
  } as ConfigurationBotFrameworkAuthenticationOptions;
  const auth = new ConfigurationBotFrameworkAuthentication(options);
  const appId = config.appId ?? '';

  // Proactive posts: the token comes from the credentials of botbuilder's connector client for
  // the service URL (what CloudAdapter's continueConversationAsync would use; none in local
  // mode), the post itself from connector.ts, without the Azure pipeline (see there why).
  const connectors = reusingClients(auth.createConnectorFactory(botIdentity(appId)));
  const connector = createConnector(async (serviceUrl, headers) => {
    const client = await connectors.create(serviceUrl);
    await client.credentials.signRequest({ headers: { set: (name: string, value: string) => void (headers[name.toLowerCase()] = value) } });
  });
  /** The activity as Teams wants it posted: addressed from the bot, in the conversation, to its tenant. */
  const outgoing = (reference: Record<string, unknown>, conversationId: string, activity: Record<string, unknown>) => {
    const conversation: Record<string, unknown> = { ...(reference.conversation as Record<string, unknown> | undefined), id: conversationId };
    const ref = { ...reference, channelId: (reference.channelId as string | undefined) ?? 'msteams', conversation } as unknown as Partial<ConversationReference>;
    const result = TurnContext.applyConversationReference({ ...activity }, ref) as Record<string, unknown>;
    const tenantId = conversation.tenantId;
    if (typeof tenantId === 'string') result.channelData = { ...(result.channelData as object | undefined), tenant: { id: tenantId } };
    return result;
  };

  return {
    async checkToken(activity, authorization) {
      if (!authorization.trim()) return 'no Authorization header';
      try {
        await auth.authenticateRequest(activity as never, authorization);
        return null;
      } catch (error) {
        return (error as Error).message?.split('\n')[0] ?? 'invalid token';
      }
    },

    async post(reference, conversationId, activity, timeoutMs) {
      return connector.post(reference.serviceUrl as string, conversationId, outgoing(reference, conversationId, activity), timeoutMs);
    },

    // PUT / DELETE /v3/conversations/{id}/activities/{activityId}: the bot may change its own posts.
    // https://learn.microsoft.com/microsoftteams/platform/bots/how-to/update-and-delete-bot-messages
    async change(reference, conversationId, operation, activity, timeoutMs) {
      const serviceUrl = reference.serviceUrl as string;
      if (operation.kind === 'delete') return connector.remove(serviceUrl, conversationId, operation.target, timeoutMs);
      await connector.update(serviceUrl, conversationId, operation.target, outgoing(reference, conversationId, { ...activity, id: operation.target }), timeoutMs);
    },

    close: () => connector.close(),
  };
}

/** Connector clients kept per service URL; a handful in practice (Teams' regions). */
const MAX_CLIENTS = 100;

type ConnectorFactory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;

/**
 * botbuilder's connector client for a service URL, made once and kept: building one sets up an
 * Azure HTTP pipeline (about a millisecond of CPU), and only its credentials are used, which
 * fetch and renew their own token.
 */
function reusingClients(factory: ConnectorFactory) {
  const clients = new BoundedMap<string, Promise<ConnectorClientLike>>(MAX_CLIENTS);
  return {
    create(serviceUrl: string): Promise<ConnectorClientLike> {
      let client = clients.get(serviceUrl);
      if (!client) {
        client = factory.create(serviceUrl, undefined as unknown as string) as unknown as Promise<ConnectorClientLike>;
        client.catch(() => clients.delete(serviceUrl));
        clients.set(serviceUrl, client);
      }
      return client;
    },
  };
}

interface ConnectorClientLike {
  /** botframework-connector's AppCredentials: sets `authorization: Bearer …` when there is an app id. */
  credentials: { signRequest(request: { headers: { set(name: string, value: string): void } }): Promise<unknown> };
}

/**
 * "This bot", for the connector factory: the claims CloudAdapter's createClaimsIdentity(appId)
 * makes for a proactive send (audience and app id both the bot's own).
 */
function botIdentity(appId: string): Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0] {
  const claims = [
    { type: 'aud', value: appId },
    { type: 'appid', value: appId },
  ];
  return { claims, isAuthenticated: true, getClaimValue: (type: string) => claims.find((c) => c.type === type)?.value ?? null } as never;
}
