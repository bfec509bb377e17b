import { ChannelSendError } from '../../src/core/channel.js';

/**
 * How a failed post to the Bot Connector is told to the dispatcher. Following Microsoft's
 * guidance (https://learn.microsoft.com/microsoftteams/platform/bots/how-to/rate-limit and
 * …/bots/build-conversational-capability#status-codes-from-bot-conversational-apis):
 * 429 waits for Retry-After; 412 is transient; 403 means the bot may not write there (never
 * installed by that user, removed from the team, blocked) and retrying cannot help.
 * A post is not idempotent: after a timeout or a 5xx it may have landed, so such a failure is
 * retried once and then recorded as failed (`ambiguous` tells the caller to count it).
 */
export interface MappedFailure {
  error: ChannelSendError;
  /** The post may have been delivered although it failed. */
  ambiguous: boolean;
}

interface ErrorLike {
  name?: string;
  message?: string;
  code?: string;
  statusCode?: number;
  response?: { headers?: { get?(name: string): string | undefined } | Record<string, string | undefined>; bodyAsText?: string };
}

/** Retry-After as milliseconds: seconds or an HTTP date. */
export function retryAfterMs(value: string | undefined | null, now = Date.now()): number | undefined {
  if (!value) return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds) && seconds >= 0) return Math.round(seconds * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function header(error: ErrorLike, name: string): string | undefined {
  const headers = error.response?.headers;
  if (!headers) return undefined;
  if (typeof (headers as { get?: unknown }).get === 'function') return (headers as { get(n: string): string | undefined }).get(name) ?? undefined;
  return (headers as Record<string, string | undefined>)[name];
}

/** The Bot Connector's own error text, if its body carried one (`{ error: { code, message } }`). */
function connectorMessage(error: ErrorLike): string {
  const text = error.response?.bodyAsText;
  if (!text) return '';
  try {
    const body = JSON.parse(text) as { error?: { code?: string; message?: string }; message?: string };
    const said = body.error?.message ?? body.message ?? body.error?.code;
    return said ? `: ${String(said).slice(0, 300)}` : '';
  } catch {
    return '';
  }
}

/** Maps whatever a post threw to a ChannelSendError, and says whether it may have landed. */
export function mapSendError(thrown: unknown): MappedFailure {
  const error = (thrown ?? {}) as ErrorLike;
  const status = typeof error.statusCode === 'number' ? error.statusCode : undefined;
  const said = connectorMessage(error);
  if (status === 429) {
    const wait = retryAfterMs(header(error, 'retry-after'));
    return { error: new ChannelSendError(`Teams is throttling this bot (429)${wait === undefined ? '' : `; asked to wait ${wait} ms`}${said}`, true, wait), ambiguous: false };
  }
  if (status === 403) {
    return {
      error: new ChannelSendError(
        `Teams refused the message (403): the bot may not write to this conversation — the person never installed the app, or the bot was removed from the team or chat${said}`,
        false,
      ),
      ambiguous: false,
    };
  }
  if (status === 404) {
    return { error: new ChannelSendError(`Teams does not know this conversation (404): it was deleted, or the bot was never in it${said}`, false), ambiguous: false };
  }
  if (status === 401) {
    return {
      error: new ChannelSendError(`the Bot Connector refused our credentials (401): check MICROSOFT_APP_ID, MICROSOFT_APP_PASSWORD and MICROSOFT_APP_TENANT_ID${said}`, true),
      ambiguous: false,
    };
  }
  if (status === 412) return { error: new ChannelSendError(`Teams asked us to try again (412 precondition failed)${said}`, true), ambiguous: false };
  if (status !== undefined && status >= 500) {
    return { error: new ChannelSendError(`the Bot Connector failed (${status})${said}; the message may have been posted anyway`, true), ambiguous: true };
  }
  if (status !== undefined && status >= 400) {
    return { error: new ChannelSendError(`Teams refused the message (${status})${said}`, false), ambiguous: false };
  }
  // No HTTP status: the request never got an answer. A refused or unresolvable connection was
  // never sent; a timeout or a connection cut mid-way may have been.
  const text = `${error.code ?? ''} ${error.name ?? ''} ${error.message ?? ''}`;
  // undici's codes (connector.ts): a connect timeout never sent the post; a headers or body
  // timeout, or a socket closed under it (UND_ERR_SOCKET), may have.
  if (/ECONNREFUSED|ENOTFOUND|EAI_AGAIN|EHOSTUNREACH|ENETUNREACH|UND_ERR_CONNECT_TIMEOUT/.test(text)) {
    return { error: new ChannelSendError(`the Bot Connector cannot be reached (${firstLine(error.message)})`, true), ambiguous: false };
  }
  if (/AbortError|timed? ?out|ETIMEDOUT|ECONNRESET|socket hang up|UND_ERR_SOCKET|UND_ERR_(HEADERS|BODY)_TIMEOUT/i.test(text)) {
    return { error: new ChannelSendError(`no answer from the Bot Connector (${firstLine(error.message)}); the message may have been posted anyway`, true), ambiguous: true };
  }
  return { error: new ChannelSendError(`sending to Teams failed: ${firstLine(error.message)}`, true), ambiguous: false };
}

const firstLine = (text: string | undefined) => (text ?? 'unknown error').split('\n')[0]!.slice(0, 300);
