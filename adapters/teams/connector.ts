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

export function createConnector(sign: Signer): Connector {
  async function call(method: 'POST' | 'PUT' | 'DELETE', serviceUrl: string, path: string, body: object | null, timeoutMs: number): Promise<string> {
    const url = new URL(path, serviceUrl.endsWith('/') ? serviceUrl : `${serviceUrl}/`);
    const payload = body === null ? null : JSON.stringify(body);
    const headers: Record<string, string> = { accept: 'application/json' };
    if (payload) {
      headers['content-type'] = 'application/json; charset=utf-8';
      headers['content-length'] = String(Buffer.byteLength(payload));
    }
    await sign(serviceUrl, headers);
    const agent = agents[url.protocol as keyof typeof agents];
    if (!agent) throw new Error(`unsupported service URL ${serviceUrl}`);
    const send = url.protocol === 'https:' ? https.request : http.request;
    return new Promise<string>((resolve, reject) => {
      const request = send(url, { method, headers, agent, signal: AbortSignal.timeout(timeoutMs) }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = response.statusCode ?? 0;
          if (status >= 200 && status < 300) return resolve(text);
          const retryAfter = response.headers['retry-after'];
          reject(new ConnectorError(status, { headers: { 'retry-after': Array.isArray(retryAfter) ? retryAfter[0] : retryAfter }, bodyAsText: text }));
        });
      });
      // AbortSignal.timeout rejects with a TimeoutError; a timed-out post may have landed, and
      // mapSendError knows it by its name.
      request.on('error', reject);
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
