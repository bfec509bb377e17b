import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { DateTime, errorResponses, IdParams, Nullable } from '../schemas.js';

const Counts = Type.Record(Type.String(), Type.Integer());

const Engagement = Type.Object({
  from: DateTime,
  to: DateTime,
  members: Type.Object({
    total: Type.Integer({ description: 'Members now' }),
    new: Type.Integer({ description: 'First seen in the window' }),
    active: Type.Integer({ description: 'Wrote anything the bot saw in the window' }),
    activeShare: Type.Number({ description: 'active / total, 0–1' }),
    rulesAccepted: Type.Integer({ description: 'Accepted the current house rules' }),
    byRole: Counts,
    byChannel: Type.Record(Type.String(), Type.Integer(), { description: 'Members known on each channel (one may be on both)' }),
  }),
  organisations: Type.Array(
    Type.Object({ id: Nullable(Type.String()), name: Nullable(Type.String()), members: Type.Integer(), active: Type.Integer() }),
    { description: 'Per organisation taking part; id and name null for members without one' },
  ),
  messages: Type.Object({ total: Type.Integer(), commands: Type.Record(Type.String(), Type.Integer(), { description: 'Messages per command; `unknown` for a mistyped one' }) }),
  activities: Type.Array(
    Type.Object({
      id: Type.String(),
      number: Type.Integer(),
      title: Type.String(),
      startsAt: DateTime,
      capacity: Nullable(Type.Integer()),
      cancelled: Type.Boolean(),
      confirmed: Type.Integer(),
      waiting: Type.Integer(),
      attended: Nullable(Type.Integer({ description: 'Who came; null until attendance is recorded' })),
    }),
    { description: 'Activities that take place in the window' },
  ),
  polls: Type.Array(Type.Object({ number: Type.Integer(), question: Type.String(), closed: Type.Boolean(), voters: Type.Integer() }), { description: 'Polls asked in the window' }),
  questions: Type.Object({ asked: Type.Integer(), answered: Type.Integer(), solved: Type.Integer(), answers: Type.Integer(), answeredBy: Type.Integer() }),
  surveys: Type.Array(Type.Object({ title: Type.String(), closed: Type.Boolean(), participants: Type.Integer(), completed: Type.Integer() }), { description: 'Surveys open during the window' }),
  stories: Type.Object({ submitted: Type.Integer(), published: Type.Integer() }),
  declaration: Nullable(Type.Object({ version: Type.Integer(), signed: Type.Integer(), organisations: Type.Integer() })),
});

/** The engagement figures (betrokkenheid) the seeds' authors counted by hand. */
export const engagementRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/communities/:id/engagement',
      {
        schema: {
          tags: ['communities'],
          summary: 'Who takes part, in figures: members, organisations, messages, activities, polls, questions, surveys, stories, the declaration',
          description: 'Over a window of time (`from` inclusive, `to` exclusive; default the 30 days up to now, at most 731 days). Members are counted as they are now; what they did, within the window.',
          params: IdParams,
          querystring: Type.Object({ from: Type.Optional(Type.String({ format: 'date-time' })), to: Type.Optional(Type.String({ format: 'date-time' })) }, { additionalProperties: false }),
          response: { 200: Engagement, ...errorResponses },
        },
      },
      async (request) => core.engagement.figures(request.actor, request.params.id, request.query),
    );
  };
