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
import http from 'node:http';
import https from 'node:https';

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

/** Connections are kept open: every post goes to one of a few service URLs (Teams' regions). */
const agents = {
  'http:': new http.Agent({ keepAlive: true, maxSockets: 128 }),
  'https:': new https.Agent({ keepAlive: true, maxSockets: 128 }),
};

export interface Connector {
  /** POST /v3/conversations/{id}/activities; resolves to the id Teams gave the activity. */
  post(serviceUrl: string, conversationId: string, activity: object, timeoutMs: number): Promise<string | undefined>;
  /** PUT /v3/conversations/{id}/activities/{activityId}. */
  update(serviceUrl: string, conversationId: string, activityId: string, activity: object, timeoutMs: number): Promise<void>;
  /** DELETE /v3/conversations/{id}/activities/{activityId}. */
  remove(serviceUrl: string, conversationId: string, activityId: string, timeoutMs: number): Promise<void>;
}

/** A service URL taken apart once: every post goes to one of a handful (Teams' regions). */
interface Target {
  send: typeof http.request;
  agent: http.Agent;
  options: { protocol: string; hostname: string; port: string; path: string };
}
const MAX_TARGETS = 100;

export function createConnector(sign: Signer): Connector {
  const targets = new Map<string, Target>();
  function targetOf(serviceUrl: string): Target {
    let target = targets.get(serviceUrl);
    if (!target) {
      const url = new URL(serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`);
      const agent = agents[url.protocol as keyof typeof agents];
      if (!agent) throw new Error(`unsupported service URL ${serviceUrl}`);
      // URL keeps an IPv6 host in brackets; the request options want it bare.
      const hostname = url.hostname.replace(/^\[(.*)\]$/, '$1');
      target = { send: url.protocol === 'https:' ? https.request : http.request, agent, options: { protocol: url.protocol, hostname, port: url.port, path: url.pathname } };
      if (targets.size >= MAX_TARGETS) targets.delete(targets.keys().next().value!);
      targets.set(serviceUrl, target);
    }
    return target;
  }

  async function call(method: 'POST' | 'PUT' | 'DELETE', serviceUrl: string, path: string, body: object | null, timeoutMs: number): Promise<string> {
    const { send, agent, options } = targetOf(serviceUrl);
    const payload = body === null ? null : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json; charset=utf-8';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    await sign(serviceUrl, headers);
    return new Promise<string>((resolve, reject) => {
      const request = send({ ...options, path: options.path + path, method, headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', fail);
        response.on('end', () => {
          clearTimeout(timer);
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(text);
          const retryAfter = response.headers['retry-after'];
          reject(new ConnectorError(status, { headers: { 'retry-after': Array.isArray(retryAfter) ? retryAfter[0] : retryAfter }, bodyAsText: text }));
        });
      });
      function fail(error: Error) {
        clearTimeout(timer);
        reject(error);
      }
      // A plain timer rather than AbortSignal.timeout (a signal and its listeners per post). A
      // timed-out post may have landed: mapSendError knows it by the TimeoutError name.
      const timer = setTimeout(() => {
        const error = new Error(`the Bot Connector did not answer within ${timeoutMs} ms`);
        error.name = 'TimeoutError';
        request.destroy(error);
      }, timeoutMs);
      request.on('error', fail);
      request.end(payload ?? undefined);
    });
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
  };
}
