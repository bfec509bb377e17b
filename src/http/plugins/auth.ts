import type { FastifyInstance, FastifyRequest, onRequestHookHandler } from 'fastify';
import type { Actor } from '../../core/access.js';
import type { Core } from '../../core/index.js';
import { sendProblem } from './errors.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Who the bearer token belongs to; set on every /v1 route. */
    actor: Actor;
  }
  interface FastifyContextConfig {
    /** false: the route checks a credential of its own (a calendar feed's secret in its URL). */
    bearer?: false;
    /** true: a platform's every event arrives here (Teams' /api/messages): request lines at debug only (see app.ts). */
    frequent?: boolean;
  }
}

/** The bearer token of a request, or null. */
export function bearerToken(request: FastifyRequest): string | null {
  const header = request.headers.authorization;
  const match = header ? /^Bearer\s+(\S+)\s*$/i.exec(header) : null;
  return match?.[1] ?? null;
}

/**
 * Bearer-token authentication for every route registered inside this plugin's scope. It runs
 * on request, before the body is read, so an unauthenticated client learns nothing else.
 * It is added as the route's last onRequest hook, after the rate limiter's (which
 * @fastify/rate-limit also adds per route): a flood of made-up tokens is counted and cut off
 * before it costs a database lookup each.
 */
export function requireToken(app: FastifyInstance, core: Core) {
  app.decorateRequest('actor', null as never);
  const authenticate: onRequestHookHandler = async (request, reply) => {
    const token = bearerToken(request);
    const actor = token ? await core.tokens.authenticate(token) : null;
    if (!actor) {
      reply.header('www-authenticate', 'Bearer realm="samen"');
      return sendProblem(request, reply, {
        status: 401,
        code: 'unauthorized',
        detail: token ? 'The bearer token is unknown or revoked' : 'Send an admin or manager token: Authorization: Bearer <token>',
      });
    }
    request.actor = actor;
  };
  app.addHook('onRoute', (route) => {
    if ((route.config as { bearer?: false } | undefined)?.bearer === false) return;
    const hooks = route.onRequest ? [route.onRequest].flat() : [];
    route.onRequest = [...hooks, authenticate];
  });
}
