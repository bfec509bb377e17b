import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { Channel, DateTime, errorResponses, IdParams, ListQuery, Page, Text } from '../schemas.js';

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
              serviceUrl: Type.Optional(
                Type.String({
                  format: 'uri',
                  pattern: '^https?://',
                  maxLength: 512,
                  description: 'Teams only: the Bot Connector URL for this tenant (e.g. https://smba.trafficmanager.net/emea/), so the bot can post before anyone writes there',
                }),
              ),
              tenantId: Type.Optional(Type.String({ minLength: 1, maxLength: 100, description: 'Teams only: the Microsoft Entra tenant id' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Space, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await core.spaces.create(request.actor, request.params.id, request.body)),
    );

    app.post(
      '/communities/:id/link-codes',
      {
        schema: {
          tags: ['spaces'],
          summary: 'A one-time code that links a group or channel from inside it',
          description:
            'Send `link <code>` (or `koppel <code>`) in the WhatsApp group or Teams channel, with the bot present or mentioned. The code works once, for 7 days.',
          params: IdParams,
          response: { 201: Type.Object({ code: Type.String(), expiresAt: DateTime }), ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await core.links.createCode(request.actor, request.params.id)),
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
