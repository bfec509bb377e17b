import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ANNOUNCEMENT_MAX } from '../../core/calendar/announcements.service.js';
import type { Core } from '../../core/index.js';
import { Channel, DateTime, errorResponses, IdParams, ListQuery, Nullable, OutboxStatus, Page, StringEnum, Text } from '../schemas.js';

const STATUSES = ['scheduled', 'sent', 'cancelled'] as const;

const Summary = Type.Object(
  {
    spaces: Type.Integer({ description: 'Groups and channels it was queued to' }),
    pending: Type.Integer(),
    sending: Type.Integer(),
    delivered: Type.Integer(),
    failed: Type.Integer(),
  },
  { description: 'Its messages counted by delivery state' },
);

const Announcement = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  text: Type.String(),
  status: StringEnum(STATUSES),
  sendAt: DateTime,
  sentAt: Nullable(DateTime),
  cancelledAt: Nullable(DateTime),
  createdById: Nullable(Type.String({ description: 'The member who announced it in chat' })),
  calendarItemId: Nullable(Type.String({ description: 'The calendar item that sent it' })),
  delivery: Summary,
  createdAt: DateTime,
});

const SpaceDelivery = Type.Object({
  spaceId: Type.String(),
  name: Nullable(Type.String({ description: 'Null when the space was unlinked since' })),
  channel: Channel,
  status: OutboxStatus,
  attempts: Type.Integer(),
  lastError: Nullable(Type.String({ description: 'Why the last attempt failed, as the platform said' })),
  deliveredAt: Nullable(DateTime),
});

export const announcementsRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/communities/:id/announcements',
      {
        schema: {
          tags: ['announcements'],
          summary: 'A message to every group and channel of the community, now or at sendAt',
          params: IdParams,
          body: Type.Object(
            {
              text: Text(ANNOUNCEMENT_MAX),
              // Not nullable: with type coercion on, an empty string would pass as null and send at once.
              sendAt: Type.Optional(Type.String({ format: 'date-time', description: 'Sent then (in the future); left out: now' })),
            },
            { additionalProperties: false },
          ),
          response: { 201: Announcement, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await core.announcements.create(request.actor, request.params.id, request.body)),
    );

    app.get(
      '/communities/:id/announcements',
      {
        schema: {
          tags: ['announcements'],
          summary: "The community's announcements, latest sendAt first",
          params: IdParams,
          querystring: ListQuery({ status: Type.Optional(StringEnum(STATUSES)) }),
          response: { 200: Page(Announcement), ...errorResponses },
        },
      },
      async (request) => core.announcements.list(request.actor, request.params.id, request.query),
    );

    app.get(
      '/announcements/:id',
      {
        schema: {
          tags: ['announcements'],
          summary: 'One announcement, with its delivery in each group and channel',
          params: IdParams,
          response: { 200: Type.Object({ ...Announcement.properties, deliveries: Type.Array(SpaceDelivery) }), ...errorResponses },
        },
      },
      async (request) => core.announcements.get(request.actor, request.params.id),
    );

    app.delete(
      '/announcements/:id',
      {
        schema: {
          tags: ['announcements'],
          summary: 'Cancel a scheduled announcement (409 once it went out)',
          params: IdParams,
          response: { 200: Announcement, ...errorResponses },
        },
      },
      async (request) => core.announcements.cancel(request.actor, request.params.id),
    );
  };
