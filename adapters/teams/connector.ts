/**
 * A lean client for the three Bot Connector calls the adapter makes: post an activity to a
 * conversation, replace one, delete one (REST API v3,
 * https://learn.microsoft.com/azure/bot-service/rest-api/bot-framework-rest-connector-api-reference).
 *
 * botbuilder's ConnectorClient does the same through the Azure SDK's request pipeline and model
 * serializer: measured in bench/teams, that was a sixth of the server's CPU per activity, for a
 * JSON body and one header. The token still comes from botbuilder (see teams.bot.ts: `sign`), so
 * authentication stays the SDK's; this file knows no SDK.
 */
import { Agent } from 'undici';
import { BoundedMap } from './bounded-map.js';

/** Adds the Authorization header for a service URL (nothing in local mode). */
export type Signer = (serviceUrl: string, headers: Record<string, string>) => Promise<void>;

/** What a failed call throws: the shape mapSendError (teams.errors.ts) reads. */
export class ConnectorError extends Error {
  constructor(
    readonly statusCode: number,
    readonly response: { headers: Record<string, string | undefined>; bodyAsText: string },
  ) {
    super(`the Bot Connector answered ${statusCode}`);
    this.name = 'ConnectorError';
  }
}

export interface Connector {
  /** POST /v3/conversations/{id}/activities; resolves to the id Teams gave the activity. */
  post(serviceUrl: string, conversationId: string, activity: object, timeoutMs: number): Promise<string | undefined>;
  /** PUT /v3/conversations/{id}/activities/{activityId}. */
  update(serviceUrl: string, conversationId: string, activityId: string, activity: object, timeoutMs: number): Promise<void>;
  /** DELETE /v3/conversations/{id}/activities/{activityId}. */
  remove(serviceUrl: string, conversationId: string, activityId: string, timeoutMs: number): Promise<void>;
  /** Closes the kept-alive connections once the calls under way have their answers; a later call opens new ones. */
  close(): Promise<void>;
}

/** A service URL taken apart once: every post goes to one of a handful (Teams' regions). */
interface Target {
  origin: string;
  /** The service URL's own path, ending in a slash ("/" or e.g. "/amer/"). */
  base: string;
}
const MAX_TARGETS = 100;

/**
 * Posts go through undici, kept-alive connections per origin (up to 128 each): bench/teams
 * measured Node's own HTTP client at ~0.12 ms of CPU per post, undici at about half.
 * The agent is made on the first call, and again on the first after close(): the adapter stops
 * before the core drains (src/adapter.ts), and the drain still posts what is under way.
 */
export function createConnector(sign: Signer): Connector {
  let agent: Agent | undefined;
  const targets = new BoundedMap<string, Target>(MAX_TARGETS);
  function targetOf(serviceUrl: string): Target {
    let target = targets.get(serviceUrl);
    if (!target) {
      const url = new URL(serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`);
      if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new Error(`unsupported service URL ${serviceUrl}`);
      target = { origin: url.origin, base: url.pathname };
      targets.set(serviceUrl, target);
    }
    return target;
  }

  async function call(method: 'POST' | 'PUT' | 'DELETE', serviceUrl: string, path: string, body: object | null, timeoutMs: number): Promise<string> {
    const { origin, base } = targetOf(serviceUrl);
    const payload = body === null ? null : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) headers['content-type'] = 'application/json; charset=utf-8';
    await sign(serviceUrl, headers);
    // headersTimeout: no answer within timeoutMs after the post went out. A timed-out post may
    // have landed; mapSendError knows it by undici's error code.
    const response = await (agent ??= new Agent({ connections: 128 })).request({ origin, path: base + path, method, headers, body: payload, headersTimeout: timeoutMs, bodyTimeout: timeoutMs });
    const text = await response.body.text();
    if (response.statusCode >= 200 && response.statusCode < 300) return text;
    const retryAfter = response.headers['retry-after'];
    throw new ConnectorError(response.statusCode, { headers: { 'retry-after': Array.isArray(retryAfter) ? retryAfter[0] : retryAfter }, bodyAsText: text });
  }

  const activities = (conversationId: string) => `v3/conversations/${encodeURIComponent(conversationId)}/activities`;

  return {
    async post(serviceUrl, conversationId, activity, timeoutMs) {
      const text = await call('POST', serviceUrl, activities(conversationId), activity, timeoutMs);
      try {
        const id = (JSON.parse(text) as { id?: unknown }).id;
        return typeof id === 'string' ? id : undefined;
      } catch {
        return undefined;
      }
    },
    async update(serviceUrl, conversationId, activityId, activity, timeoutMs) {
      await call('PUT', serviceUrl, `${activities(conversationId)}/${encodeURIComponent(activityId)}`, activity, timeoutMs);
    },
    async remove(serviceUrl, conversationId, activityId, timeoutMs) {
      await call('DELETE', serviceUrl, `${activities(conversationId)}/${encodeURIComponent(activityId)}`, null, timeoutMs);
    },
    async close() {
      const closing = agent;
      agent = undefined;
      // undici's close: what is under way finishes, then its sockets close (Dispatcher.md).
      await closing?.close();
    },
  };
}
