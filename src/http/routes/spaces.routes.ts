import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { Channel, DateTime, errorResponses, IdParams, Page, ListQuery, Text } from '../schemas.js';

const Space = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  channel: Channel,
  externalId: Type.String(),
  name: Type.String(),
  createdAt: DateTime,
});

export const spacesRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/communities/:id/spaces',
      {
        schema: {
          tags: ['spaces'],
          summary: 'Link a WhatsApp group or Teams conversation to the community',
          params: IdParams,
          body: Type.Object(
            {
              channel: Channel,
              externalId: Type.String({
                minLength: 1,
                maxLength: 512,
                description: 'WhatsApp chat id (…@g.us) or Teams conversation id',
              }),
              name: Text(200),
            },
            { additionalProperties: false },
          ),
          response: { 201: Space, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await core.spaces.create(request.actor, request.params.id, request.body)),
    );

    app.get(
      '/communities/:id/spaces',
      {
        schema: {
          tags: ['spaces'],
          summary: "The community's groups and channels",
          params: IdParams,
          querystring: ListQuery({ channel: Type.Optional(Channel) }),
          response: { 200: Page(Space), ...errorResponses },
        },
      },
      async (request) => core.spaces.list(request.actor, request.params.id, request.query),
    );

    app.delete(
      '/spaces/:id',
      {
        schema: {
          tags: ['spaces'],
          summary: 'Unlink a space; its messages are ignored from then on',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await core.spaces.remove(request.actor, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
