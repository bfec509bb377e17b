/**
 * Everything that touches botbuilder (archived by Microsoft; its successor is
 * @microsoft/agents-hosting): authenticating Teams' requests, running a turn through
 * CloudAdapter, and the token for posting proactively (connector.ts posts). Swapping the SDK
 * means rewriting this file only.
 */
import type {
  ConfigurationBotFrameworkAuthentication,
  ConfigurationBotFrameworkAuthenticationOptions,
  ConversationReference,
  TurnContext,
} from 'botbuilder';
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

export type TurnResult = { status: number; body?: unknown } | undefined;

export interface Bot {
  /** Null when the Authorization header holds a valid token from Teams for this activity, else why not. */
  checkToken(activity: TeamsActivity, authorization: string): Promise<string | null>;
  /** Runs one activity through CloudAdapter; `turn` does the work. Resolves to the HTTP answer. */
  process(activity: TeamsActivity, authorization: string, turn: (activity: TeamsActivity) => Promise<TurnResult>): Promise<{ status: number; body?: unknown }>;
  /** Posts an activity to a conversation; resolves to the id Teams gave it. */
  post(reference: Record<string, unknown>, conversationId: string, activity: Record<string, unknown>, timeoutMs: number): Promise<string | undefined>;
  /** Edits (replaces) or deletes an activity the bot posted earlier. */
  change(reference: Record<string, unknown>, conversationId: string, operation: { kind: 'edit' | 'delete'; target: string }, activity: Record<string, unknown>, timeoutMs: number): Promise<void>;
  /** Starts loading botbuilder now, so the first request does not wait for it. */
  warm(): void;
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
    process: async (...args) => (await get()).process(...args),
    post: async (...args) => (await get()).post(...args),
    change: async (...args) => (await get()).change(...args),
    // A few seconds after start: importing botbuilder keeps the one thread busy for a second, and
    // the server should answer its readiness probe (and the first requests) before that.
    warm: () => void setTimeout(() => void get().catch(() => {}), WARM_AFTER_MS).unref(),
  };
}

function createLoadedBot({ CloudAdapter, ConfigurationBotFrameworkAuthentication, TurnContext }: Library, config: TeamsConfig, endpoints?: AuthEndpoints): Omit<Bot, 'warm'> {
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
  const reusing = reusingClients(auth);
  const adapter = new CloudAdapter(reusing as unknown as ConfigurationBotFrameworkAuthentication);

  // Proactive posts: the token comes from the credentials of botbuilder's connector client for
  // the service URL (what continueConversationAsync would use; none in local mode), the post
  // itself from connector.ts, without the Azure pipeline (see there why).
  const connectors = reusing.createConnectorFactory((adapter as unknown as ClaimsMaker).createClaimsIdentity(appId))!;
  const connector = createConnector(async (serviceUrl, headers) => {
    const client = (await connectors.create(serviceUrl, undefined as unknown as string)) as unknown as ConnectorClientLike;
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

    async process(activity, authorization, turn) {
      // CloudAdapter.process wants Express-like objects: it reads method, headers and a parsed
      // body, and answers through status()/send()/end() (header() must exist too).
      return new Promise((resolve, reject) => {
        let status = 200;
        let body: unknown;
        const req = { method: 'POST', headers: { authorization }, body: activity };
        const res = {
          status(code: number) {
            status = code;
            return res;
          },
          send(payload: unknown) {
            body = payload;
            return res;
          },
          header() {
            return res;
          },
          end() {
            resolve({ status, body });
            return res;
          },
        };
        adapter
          .process(req as never, res as never, async (context: TurnContext) => {
            const result = await turn(context.activity as unknown as TeamsActivity);
            if (result) await context.sendActivity({ type: 'invokeResponse', value: result });
          })
          .catch(reject);
      });
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
  };
}

/** Connector clients kept per service URL and audience; a handful in practice (Teams' regions). */
const MAX_CLIENTS = 100;

/**
 * The authentication CloudAdapter asks for every turn, made to reuse its connector clients.
 * Out of the box each turn (inbound, and each proactive send) builds a new ConnectorClient with
 * its own Azure HTTP pipeline and a new user-token client: about a millisecond of CPU each time,
 * the largest cost of a turn. botbuilder's older BotFrameworkAdapter cached them per service URL
 * the same way. Tokens stay fresh: the credentials inside a client fetch and renew their own.
 */
function reusingClients(inner: ConfigurationBotFrameworkAuthentication) {
  type Factory = ReturnType<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>;
  const clients = new Map<string, ReturnType<Factory['create']>>();
  let userTokenClient: ReturnType<ConfigurationBotFrameworkAuthentication['createUserTokenClient']> | null = null;

  const reusing = (factory: Factory | undefined): Factory | undefined =>
    factory && {
      create(serviceUrl: string, audience: string) {
        const key = `${serviceUrl}\n${audience}`;
        let client = clients.get(key);
        if (!client) {
          client = factory.create(serviceUrl, audience).then((created) => {
            // The Azure pipeline would retry 5xx and 429 itself, three times, inside one post:
            // posting is not idempotent, and the dispatcher owns retries and back-off.
            (created as unknown as ConnectorClientLike).client?.pipeline?.removePolicy({ name: 'defaultRetryPolicy' });
            return created;
          });
          client.catch(() => clients.delete(key));
          if (clients.size >= MAX_CLIENTS) clients.delete(clients.keys().next().value!);
          clients.set(key, client);
        }
        return client;
      },
    };

  return {
    authenticateRequest: async (...args: Parameters<ConfigurationBotFrameworkAuthentication['authenticateRequest']>) => {
      const result = await inner.authenticateRequest(...args);
      return { ...result, connectorFactory: reusing(result.connectorFactory) };
    },
    authenticateStreamingRequest: (...args: Parameters<ConfigurationBotFrameworkAuthentication['authenticateStreamingRequest']>) => inner.authenticateStreamingRequest(...args),
    authenticateChannelRequest: (...args: Parameters<ConfigurationBotFrameworkAuthentication['authenticateChannelRequest']>) => inner.authenticateChannelRequest(...args),
    createConnectorFactory: (...args: Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>) => reusing(inner.createConnectorFactory(...args)),
    createUserTokenClient: (...args: Parameters<ConfigurationBotFrameworkAuthentication['createUserTokenClient']>) => {
      userTokenClient ??= inner.createUserTokenClient(...args);
      userTokenClient.catch(() => (userTokenClient = null));
      return userTokenClient;
    },
    createBotFrameworkClient: () => inner.createBotFrameworkClient(),
    getOriginatingAudience: () => inner.getOriginatingAudience(),
  };
}

interface ConnectorClientLike {
  client?: { pipeline?: { removePolicy(options: { name: string }): unknown } };
  /** botframework-connector's AppCredentials: sets `authorization: Bearer …` when there is an app id. */
  credentials: { signRequest(request: { headers: { set(name: string, value: string): void } }): Promise<unknown> };
}

/** CloudAdapter's (protected) way to say "this bot" to the connector factory, as continueConversationAsync does. */
interface ClaimsMaker {
  createClaimsIdentity(appId: string): Parameters<ConfigurationBotFrameworkAuthentication['createConnectorFactory']>[0];
}
