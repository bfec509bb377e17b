import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { DateTime, errorResponses, IdParams, Nullable, Page, ListQuery, Text, Uuid } from '../schemas.js';

const tokenFields = {
  id: Type.String(),
  name: Type.String(),
  communityId: Nullable(Type.String({ description: 'Null for an admin token' })),
  lastUsedAt: Nullable(DateTime),
  revokedAt: Nullable(DateTime),
  createdAt: DateTime,
};
const Token = Type.Object(tokenFields);

export const tokensRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: 'Issue a token (admin): with communityId a manager token for that community only',
          body: Type.Object(
            { name: Text(120), communityId: Type.Optional(Nullable(Uuid)) },
            { additionalProperties: false },
          ),
          response: {
            201: Type.Object({ ...tokenFields, token: Type.String({ description: 'Shown this once only' }) }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => reply.status(201).send(await core.tokens.issue(request.actor, request.body)),
    );

    app.get(
      '/tokens',
      {
        schema: {
          tags: ['tokens'],
          summary: 'All tokens, newest first, without their secrets (admin)',
          querystring: ListQuery(),
          response: { 200: Page(Token), ...errorResponses },
        },
      },
      async (request) => core.tokens.list(request.actor, request.query),
    );

    app.delete(
      '/tokens/:id',
      {
        schema: { tags: ['tokens'], summary: 'Revoke a token (admin)', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
      },
      async (request, reply) => {
        await core.tokens.revoke(request.actor, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
