import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { Channel, DateTime, errorResponses, IdParams, Nullable, OutboxStatus, Page, ListQuery } from '../schemas.js';

const Delivery = Type.Object({
  id: Type.String(),
  channel: Channel,
  address: Type.String(),
  spaceId: Nullable(Type.String()),
  memberId: Nullable(Type.String()),
  payload: Type.Object({ text: Type.String() }),
  status: OutboxStatus,
  attempts: Type.Integer(),
  availableAt: DateTime,
  lastError: Nullable(Type.String({ description: 'Why the last attempt failed, as the platform said' })),
  deliveredAt: Nullable(DateTime),
  createdAt: DateTime,
});

export const deliveriesRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/communities/:id/deliveries',
      {
        schema: {
          tags: ['deliveries'],
          summary: 'Outgoing messages with their delivery state, newest first',
          params: IdParams,
          querystring: ListQuery({ status: Type.Optional(OutboxStatus), channel: Type.Optional(Channel) }),
          response: { 200: Page(Delivery), ...errorResponses },
        },
      },
      async (request) => core.outbox.deliveries(request.actor, request.params.id, request.query),
    );
  };
