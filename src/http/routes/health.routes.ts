import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Database } from '../../db/client.js';

const Status = Type.Object({ status: Type.String() });

/**
 * Liveness and readiness for load balancers and orchestrators; no token needed, which the
 * empty `security` tells OpenAPI readers (the document's default is bearer).
 */
export const healthRoutes =
  (database: Database): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/healthz',
      { schema: { tags: ['health'], summary: 'The process is alive', security: [], response: { 200: Status } } },
      async () => ({ status: 'ok' }),
    );
    app.get(
      '/readyz',
      {
        schema: {
          tags: ['health'],
          summary: 'The database answers and every migration is applied',
          security: [],
          response: { 200: Status, 503: Status },
        },
      },
      async (_request, reply) =>
        (await database.ready())
          ? { status: 'ready' }
          : reply.status(503).send({ status: 'database unreachable or migrations pending' }),
    );
  };
