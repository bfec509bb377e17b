import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { ATTENDEE_STATUSES, EVENT_KINDS } from '../../db/schema/index.js';
import { DateTime, errorResponses, IdParams, ListQuery, Nullable, Page, StringEnum, Text, Uuid } from '../schemas.js';

const Kind = StringEnum(EVENT_KINDS, { description: 'webinar, meetup, intervision (intervisiegroep) or social (an outing)' });
const Status = StringEnum(ATTENDEE_STATUSES);
/** An offset is required: a time without one would be read in the server's zone, not the community's. */
const When = Type.String({ format: 'date-time', pattern: '(Z|z|[+-]\\d{2}:\\d{2})$', description: 'ISO 8601 with an offset' });
const Url = Type.String({ format: 'uri', pattern: '^https?://', maxLength: 2000 });
const Reminders = Type.Array(Type.Integer({ minimum: 1, maximum: 40_320 }), {
  maxItems: 5,
  description: 'Minutes before the start to remind attendees and spaces; default [1440, 60]',
});

const Warning = Type.Object({
  code: Type.Literal('school-holiday'),
  message: Type.String(),
  region: Type.String(),
  holiday: Type.String(),
  from: Type.String(),
  to: Type.String(),
});

const Event = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  number: Type.Integer({ description: 'Short number per community, as chat uses it: join 3' }),
  kind: Kind,
  title: Type.String(),
  description: Type.String(),
  startsAt: Type.String({ description: "ISO 8601 in the community's timezone" }),
  endsAt: Type.String(),
  timezone: Type.String(),
  location: Nullable(Type.String()),
  onlineUrl: Nullable(Type.String()),
  hostOrganisationId: Nullable(Type.String()),
  capacity: Nullable(Type.Integer()),
  signupDeadline: Nullable(Type.String()),
  reminders: Type.Array(Type.Integer()),
  cancelledAt: Nullable(Type.String()),
  confirmed: Type.Integer(),
  waiting: Type.Integer(),
  warnings: Type.Array(Warning, { description: 'Planning warnings, e.g. a Dutch school holiday in a region' }),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const Attendee = Type.Object({
  memberId: Type.String(),
  displayName: Type.String(),
  organisationId: Nullable(Type.String()),
  status: Status,
  position: Nullable(Type.Integer({ description: 'Place on the waiting list' })),
  signedUpAt: DateTime,
  attended: Nullable(Type.Boolean()),
});

const fields = {
  kind: Kind,
  title: Text(200),
  description: Type.String({ maxLength: 5000 }),
  startsAt: When,
  endsAt: When,
  location: Nullable(Type.String({ maxLength: 300 })),
  onlineUrl: Nullable(Url),
  hostOrganisationId: Nullable(Uuid),
  // One schema with two types, not a union: with type coercion on, a union would read 0 as null
  // (no limit) instead of refusing it.
  capacity: Type.Unsafe<number | null>({ type: ['integer', 'null'], minimum: 1, maximum: 100_000, description: 'Places; null for no limit' }),
  signupDeadline: Nullable(When),
  reminders: Reminders,
};
const optional = <T extends Record<string, import('typebox').TSchema>>(o: T) =>
  Object.fromEntries(Object.entries(o).map(([k, v]) => [k, Type.Optional(v)])) as { [K in keyof T]: import('typebox').TOptional<T[K]> };

const MemberParams = Type.Object({ id: Uuid, memberId: Uuid });

export const eventsRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/communities/:id/events',
      {
        schema: {
          tags: ['events'],
          summary: 'Plan an activity; it is announced in the community\'s spaces with a Join button',
          params: IdParams,
          body: Type.Object(
            {
              kind: fields.kind,
              title: fields.title,
              startsAt: fields.startsAt,
              endsAt: fields.endsAt,
              ...optional({
                description: fields.description,
                location: fields.location,
                onlineUrl: fields.onlineUrl,
                hostOrganisationId: fields.hostOrganisationId,
                capacity: fields.capacity,
                signupDeadline: fields.signupDeadline,
                reminders: fields.reminders,
                announce: Type.Boolean({ description: 'Post it to the spaces (default true)' }),
              }),
            },
            { additionalProperties: false },
          ),
          response: { 201: Event, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await core.activities.create(request.actor, request.params.id, request.body)),
    );

    app.get(
      '/communities/:id/events',
      {
        schema: {
          tags: ['events'],
          summary: 'The activities still to come (or from/to a time), soonest first',
          params: IdParams,
          querystring: ListQuery({
            from: Type.Optional(When),
            to: Type.Optional(When),
            includeCancelled: Type.Optional(Type.Boolean()),
          }),
          response: { 200: Page(Event), ...errorResponses },
        },
      },
      async (request) => core.activities.list(request.actor, request.params.id, request.query),
    );

    app.get(
      '/events/:id',
      { schema: { tags: ['events'], summary: 'One activity', params: IdParams, response: { 200: Event, ...errorResponses } } },
      async (request) => core.activities.get(request.actor, request.params.id),
    );

    app.patch(
      '/events/:id',
      {
        schema: {
          tags: ['events'],
          summary: 'Change an activity; moving it reschedules the reminders and tells the attendees',
          params: IdParams,
          body: Type.Object(optional(fields), { additionalProperties: false, minProperties: 1 }),
          response: { 200: Event, ...errorResponses },
        },
      },
      async (request) => core.activities.update(request.actor, request.params.id, request.body),
    );

    app.delete(
      '/events/:id',
      {
        schema: {
          tags: ['events'],
          summary: 'Cancel an activity: the attendees and the spaces are told, the reminders dropped',
          params: IdParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await core.activities.cancel(request.actor, request.params.id);
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/events/:id/attendees',
      {
        schema: {
          tags: ['events'],
          summary: 'Who signed up: the confirmed first, then the waiting list in order',
          params: IdParams,
          querystring: ListQuery({ status: Type.Optional(Status) }),
          response: { 200: Page(Attendee), ...errorResponses },
        },
      },
      async (request) => core.activities.attendees(request.actor, request.params.id, request.query),
    );

    app.post(
      '/events/:id/attendees',
      {
        schema: {
          tags: ['events'],
          summary: 'Sign a member up on their behalf: a place, or the waiting list when full',
          params: IdParams,
          body: Type.Object({ memberId: Uuid }, { additionalProperties: false }),
          response: {
            200: Type.Object({
              outcome: StringEnum(['confirmed', 'waiting', 'already-confirmed', 'already-waiting'] as const),
              attendee: Nullable(Attendee),
            }),
            ...errorResponses,
          },
        },
      },
      async (request) => core.activities.signUp(request.actor, request.params.id, request.body.memberId),
    );

    app.delete(
      '/events/:id/attendees/:memberId',
      {
        schema: {
          tags: ['events'],
          summary: 'Sign a member off; the first on the waiting list moves up and is told',
          params: MemberParams,
          response: { 204: Type.Null(), ...errorResponses },
        },
      },
      async (request, reply) => {
        await core.activities.signOff(request.actor, request.params.id, request.params.memberId);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/events/:id/attendance',
      {
        schema: {
          tags: ['events'],
          summary: 'Record who came (present) and who did not (absent); walk-ins are added',
          params: IdParams,
          body: Type.Object(
            { present: Type.Optional(Type.Array(Uuid, { maxItems: 5000 })), absent: Type.Optional(Type.Array(Uuid, { maxItems: 5000 })) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Type.Object({ items: Type.Array(Attendee) }), ...errorResponses },
        },
      },
      async (request) => ({ items: await core.activities.recordAttendance(request.actor, request.params.id, request.body) }),
    );

    app.get(
      '/events/:id/ics',
      {
        schema: {
          tags: ['events'],
          summary: 'The activity as an iCalendar (.ics) file',
          params: IdParams,
          response: { 200: { description: 'text/calendar', content: { 'text/calendar': { schema: Type.String() } } }, ...errorResponses },
        },
      },
      async (request, reply) => {
        const ics = await core.activities.ics(request.actor, request.params.id);
        return reply
          .type('text/calendar; charset=utf-8')
          .header('content-disposition', `attachment; filename="event-${request.params.id}.ics"`)
          .send(ics);
      },
    );

    app.post(
      '/communities/:id/calendar/token',
      {
        schema: {
          tags: ['events'],
          summary: "A new secret URL for the community's calendar feed (the old one stops working)",
          params: IdParams,
          response: { 201: Type.Object({ token: Type.String(), url: Type.String() }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { token } = await core.activities.rotateFeedToken(request.actor, request.params.id);
        const url = `${request.protocol}://${request.host}/v1/communities/${request.params.id}/calendar.ics?token=${token}`;
        return reply.status(201).send({ token, url });
      },
    );

    app.get(
      '/communities/:id/calendar.ics',
      {
        // Calendar apps (Outlook, Google Calendar) subscribe to a URL and cannot send a bearer
        // token: the secret in the query string is the credential.
        config: { bearer: false },
        schema: {
          tags: ['events'],
          summary: "The community's activities as a calendar feed to subscribe to (no bearer token: the URL's secret)",
          security: [],
          params: IdParams,
          querystring: Type.Object({ token: Type.String({ minLength: 16, maxLength: 100 }) }, { additionalProperties: false }),
          response: { 200: { description: 'text/calendar', content: { 'text/calendar': { schema: Type.String() } } }, ...errorResponses },
        },
      },
      async (request, reply) => {
        const ics = await core.activities.feed(request.params.id, request.query.token);
        return reply.type('text/calendar; charset=utf-8').header('cache-control', 'private, max-age=300').send(ics);
      },
    );
  };
