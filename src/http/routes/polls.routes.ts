import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { POLL_OPTION_MAX, POLL_OPTIONS_MAX, POLL_OPTIONS_MIN, POLL_QUESTION_MAX } from '../../core/polls/polls.service.js';
import { DateTime, errorResponses, IdParams, ListQuery, Nullable, Page, Text } from '../schemas.js';

const Poll = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  number: Type.Integer({ description: 'The number members use in chat: vote 3 1' }),
  question: Type.String(),
  options: Type.Array(Type.String()),
  multiple: Type.Boolean(),
  anonymous: Type.Boolean(),
  closesAt: Nullable(DateTime),
  closedAt: Nullable(DateTime),
  createdById: Nullable(Type.String()),
  createdAt: DateTime,
});

const Results = Type.Object({
  pollId: Type.String(),
  number: Type.Integer(),
  question: Type.String(),
  closed: Type.Boolean(),
  voters: Type.Integer(),
  options: Type.Array(Type.Object({ number: Type.Integer(), label: Type.String(), votes: Type.Integer() })),
  byOrganisation: Type.Optional(
    Type.Array(
      Type.Object({
        organisationId: Nullable(Type.String()),
        name: Nullable(Type.String()),
        voters: Type.Integer(),
        votes: Type.Array(Type.Integer(), { description: 'Votes per option, in option order' }),
      }),
      { description: 'Absent for an anonymous poll' },
    ),
  ),
});

export const pollsRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/communities/:id/polls',
      {
        schema: {
          tags: ['polls'],
          summary: 'Ask the community: posted to every group and channel, one tally across them',
          description:
            'WhatsApp shows a native poll, Teams a card with a button per option; everyone can also type `vote <number> <option>` (`stem …`). Voting again replaces the vote.',
          params: IdParams,
          body: Type.Object(
            {
              question: Text(POLL_QUESTION_MAX),
              options: Type.Array(Text(POLL_OPTION_MAX), { minItems: POLL_OPTIONS_MIN, maxItems: POLL_OPTIONS_MAX }),
              multiple: Type.Optional(Type.Boolean({ default: false, description: 'More than one option may be chosen' })),
              anonymous: Type.Optional(Type.Boolean({ default: false, description: 'Results never say which organisation voted what' })),
              closesAt: Type.Optional(Nullable(Type.String({ format: 'date-time', description: 'Closed then, and the result posted' }))),
            },
            { additionalProperties: false },
          ),
          response: { 201: Type.Object({ ...Poll.properties, postedTo: Type.Integer({ description: 'Groups and channels it was posted to' }) }), ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await core.polls.create(request.actor, request.params.id, request.body)),
    );

    app.get(
      '/communities/:id/polls',
      {
        schema: {
          tags: ['polls'],
          summary: "The community's polls, newest first",
          params: IdParams,
          querystring: ListQuery({ open: Type.Optional(Type.Boolean({ description: 'true: open ones only; false: closed ones only' })) }),
          response: { 200: Page(Poll), ...errorResponses },
        },
      },
      async (request) => core.polls.list(request.actor, request.params.id, request.query),
    );

    app.get(
      '/polls/:id',
      { schema: { tags: ['polls'], summary: 'One poll', params: IdParams, response: { 200: Poll, ...errorResponses } } },
      async (request) => core.polls.get(request.actor, request.params.id),
    );

    app.get(
      '/polls/:id/results',
      {
        schema: {
          tags: ['polls'],
          summary: 'Totals, and per organisation unless the poll is anonymous',
          params: IdParams,
          response: { 200: Results, ...errorResponses },
        },
      },
      async (request) => core.polls.results(request.actor, request.params.id),
    );

    app.post(
      '/polls/:id/close',
      {
        schema: {
          tags: ['polls'],
          summary: 'Close the poll now and post the result to every group and channel',
          params: IdParams,
          response: { 200: Poll, ...errorResponses },
        },
      },
      async (request) => core.polls.close(request.actor, request.params.id),
    );
  };
