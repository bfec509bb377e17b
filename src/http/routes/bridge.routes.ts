import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { DateTime, errorResponses, IdParams, ListQuery, Page, Uuid } from '../schemas.js';
import { BridgeState } from './communities.routes.js';

const Pair = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  spaceIds: Type.Array(Type.String(), { minItems: 2, maxItems: 2 }),
  createdAt: DateTime,
});

const pairView = (p: { id: string; communityId: string; spaceAId: string; spaceBId: string; createdAt: Date }) => ({
  id: p.id,
  communityId: p.communityId,
  spaceIds: [p.spaceAId, p.spaceBId],
  createdAt: p.createdAt,
});

export const bridgeRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/communities/:id/bridge',
      {
        schema: {
          tags: ['bridge'],
          summary: 'How the community bridge stands',
          params: IdParams,
          response: { 200: BridgeState, ...errorResponses },
        },
      },
      async (request) => core.bridge.get(request.actor, request.params.id),
    );

    app.patch(
      '/communities/:id/bridge',
      {
        schema: {
          tags: ['bridge'],
          summary: 'Turn the bridge on or off, pause it, or bridge chosen pairs of spaces only',
          description: 'With `scope: "pairs"` a message crosses only to the spaces paired with its own (`POST …/bridge/pairs`).',
          params: IdParams,
          body: Type.Object(
            {
              enabled: Type.Optional(Type.Boolean()),
              paused: Type.Optional(Type.Boolean()),
              scope: Type.Optional(Type.Union([Type.Literal('all'), Type.Literal('pairs')])),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: BridgeState, ...errorResponses },
        },
      },
      async (request) => core.bridge.update(request.actor, request.params.id, request.body),
    );

    app.get(
      '/communities/:id/bridge/pairs',
      {
        schema: {
          tags: ['bridge'],
          summary: 'The pairs of spaces that hear each other when the scope is pairs',
          params: IdParams,
          querystring: ListQuery(),
          response: { 200: Page(Pair), ...errorResponses },
        },
      },
      async (request) => {
        const page = await core.bridge.pairs(request.actor, request.params.id, request.query);
        return { ...page, items: page.items.map(pairView) };
      },
    );

    app.post(
      '/communities/:id/bridge/pairs',
      {
        schema: {
          tags: ['bridge'],
          summary: 'Pair two spaces of the community: each hears the other',
          params: IdParams,
          body: Type.Object({ spaceIds: Type.Array(Uuid, { minItems: 2, maxItems: 2 }) }, { additionalProperties: false }),
          response: { 201: Pair, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(pairView(await core.bridge.addPair(request.actor, request.params.id, request.body.spaceIds as [string, string]))),
    );

    app.delete(
      '/bridge/pairs/:id',
      {
        schema: {
          tags: ['bridge'],
          summary: 'Unpair two spaces',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await core.bridge.removePair(request.actor, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
