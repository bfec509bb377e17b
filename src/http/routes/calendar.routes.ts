import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { ANNOUNCEMENT_MAX } from '../../core/calendar/announcements.service.js';
import { MAX_CLOSES_AFTER_MINUTES, MAX_WINDOW_DAYS } from '../../core/calendar/calendar.service.js';
import type { Core } from '../../core/index.js';
import { POLL_OPTION_MAX, POLL_OPTIONS_MAX, POLL_OPTIONS_MIN, POLL_QUESTION_MAX } from '../../core/polls/polls.service.js';
import { CALENDAR_KINDS } from '../../db/schema/index.js';
import { DateTime, errorResponses, IdParams, ListQuery, Nullable, Page, StringEnum, Text } from '../schemas.js';

const PollInput = Type.Object(
  {
    question: Text(POLL_QUESTION_MAX),
    options: Type.Array(Text(POLL_OPTION_MAX), { minItems: POLL_OPTIONS_MIN, maxItems: POLL_OPTIONS_MAX }),
    multiple: Type.Optional(Type.Boolean({ default: false })),
    anonymous: Type.Optional(Type.Boolean({ default: false })),
    // Not nullable: with type coercion on, a 0 would pass as null.
    closesAfterMinutes: Type.Optional(
      Type.Integer({ minimum: 1, maximum: MAX_CLOSES_AFTER_MINUTES, description: 'Each poll closes this long after it is posted; left out: closed by hand' }),
    ),
  },
  { additionalProperties: false },
);

const Fields = {
  text: Type.Optional(Text(ANNOUNCEMENT_MAX, { description: 'kind announcement: the message' })),
  poll: Type.Optional(PollInput),
  at: Type.Optional(Type.String({ format: 'date-time', description: 'Once, at this time (in the future)' })),
  cron: Type.Optional(
    Type.String({ minLength: 1, maxLength: 100, description: 'Recurring: minute hour day-of-month month day-of-week, in the community timezone (see docs/calendar.md)' }),
  ),
};

const Item = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  kind: StringEnum(CALENDAR_KINDS),
  text: Nullable(Type.String()),
  poll: Nullable(
    Type.Object({
      question: Type.String(),
      options: Type.Array(Type.String()),
      multiple: Type.Boolean(),
      anonymous: Type.Boolean(),
      closesAfterMinutes: Nullable(Type.Integer()),
    }),
  ),
  at: Nullable(DateTime),
  cron: Nullable(Type.String()),
  nextRunAt: Nullable(DateTime),
  lastRunAt: Nullable(DateTime),
  runs: Type.Integer(),
  lastError: Nullable(Type.String({ description: 'Why the last run could not post (e.g. no groups linked)' })),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const ItemView = Type.Object({
  ...Item.properties,
  timezone: Type.String({ description: "The community's timezone, which cron is read in" }),
  upcoming: Type.Array(DateTime, { description: 'The next runs (at most 5)' }),
});

const Entry = Type.Object({
  at: DateTime,
  source: Type.String({ description: 'calendar, announcement, event, poll, …: whose id `id` is' }),
  kind: Type.String({ description: 'announcement, poll, event, event-reminder, poll-close, …' }),
  id: Type.String(),
  title: Type.String(),
  recurring: Type.Boolean(),
  status: StringEnum(['planned', 'done'] as const),
});

export const calendarRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/communities/:id/calendar',
      {
        schema: {
          tags: ['calendar'],
          summary: 'Plan an announcement or a poll: once (at) or recurring (cron)',
          params: IdParams,
          body: Type.Object({ kind: StringEnum(CALENDAR_KINDS), ...Fields }, { additionalProperties: false }),
          response: { 201: ItemView, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await core.calendar.create(request.actor, request.params.id, request.body)),
    );

    app.get(
      '/communities/:id/calendar',
      {
        schema: {
          tags: ['calendar'],
          summary: 'What is planned in a window, in time order: calendar items (each run), announcements, activities and their reminders, poll closings',
          params: IdParams,
          querystring: ListQuery({
            from: Type.Optional(Type.String({ format: 'date-time', description: 'Default: now' })),
            to: Type.Optional(Type.String({ format: 'date-time', description: `Default: 7 days after from; at most ${MAX_WINDOW_DAYS} days after it` })),
          }),
          response: { 200: Page(Entry), ...errorResponses },
        },
      },
      async (request) => core.calendar.planned(request.actor, request.params.id, request.query),
    );

    app.get(
      '/communities/:id/calendar/items',
      {
        schema: {
          tags: ['calendar'],
          summary: "The calendar's items themselves (not expanded), newest first",
          params: IdParams,
          querystring: ListQuery(),
          response: { 200: Page(Item), ...errorResponses },
        },
      },
      async (request) => core.calendar.items(request.actor, request.params.id, request.query),
    );

    app.get(
      '/calendar/:id',
      { schema: { tags: ['calendar'], summary: 'One calendar item, with its next runs', params: IdParams, response: { 200: ItemView, ...errorResponses } } },
      async (request) => core.calendar.get(request.actor, request.params.id),
    );

    app.patch(
      '/calendar/:id',
      {
        schema: {
          tags: ['calendar'],
          summary: 'Change an item; a new at or cron plans its next run afresh',
          params: IdParams,
          body: Type.Object(Fields, { additionalProperties: false, minProperties: 1 }),
          response: { 200: ItemView, ...errorResponses },
        },
      },
      async (request) => core.calendar.update(request.actor, request.params.id, request.body),
    );

    app.delete(
      '/calendar/:id',
      {
        schema: { tags: ['calendar'], summary: 'Remove an item: it runs no more', params: IdParams, response: { 204: Type.Null(), ...errorResponses } },
      },
      async (request, reply) => {
        await core.calendar.remove(request.actor, request.params.id);
        return reply.status(204).send(null);
      },
    );
  };
