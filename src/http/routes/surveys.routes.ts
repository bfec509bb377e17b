import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import {
  DECISION_RULES_MAX,
  SURVEY_AUDIENCE_MAX,
  SURVEY_INTRO_MAX,
  SURVEY_OPTION_MAX,
  SURVEY_OPTIONS_MAX,
  SURVEY_QUESTION_MAX,
  SURVEY_QUESTIONS_MAX,
  SURVEY_TITLE_MAX,
} from '../../core/surveys/surveys.service.js';
import { REMIND_AFTER_MAX_HOURS } from '../../core/surveys/waves.js';
import { OUTCOMES, PHASES, QUESTION_KINDS } from '../../db/schema/index.js';
import { DateTime, errorResponses, IdParams, ListQuery, Nullable, Page, StringEnum, Text, Uuid } from '../schemas.js';

const Question = Type.Object(
  {
    kind: StringEnum(QUESTION_KINDS, { description: 'single or multiple choice, scale (1–5) or open text' }),
    text: Text(SURVEY_QUESTION_MAX),
    options: Type.Optional(Type.Array(Text(SURVEY_OPTION_MAX), { maxItems: SURVEY_OPTIONS_MAX, description: 'For single and multiple: 2 to 10' })),
    optional: Type.Optional(Type.Boolean({ default: false, description: 'Members may answer skip (overslaan)' })),
  },
  { additionalProperties: false },
);

const Audience = Type.Object(
  { organisationIds: Type.Array(Uuid, { minItems: 1, maxItems: SURVEY_AUDIENCE_MAX }) },
  { additionalProperties: false, description: 'Members of these organisations; leave out (or null) for the whole community' },
);

const DecisionRule = Type.Object(
  {
    rules: Type.Array(
      Type.Object(
        {
          question: Type.Integer({ minimum: 1, maximum: SURVEY_QUESTIONS_MAX, description: '1-based' }),
          option: Type.Integer({ minimum: 1, maximum: SURVEY_OPTIONS_MAX, description: 'For a scale question: this score or higher' }),
          atLeastShare: Type.Optional(Type.Number({ minimum: 0, maximum: 1, description: 'Of those who answered the question' })),
          atLeastCount: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000 })),
        },
        { additionalProperties: false },
      ),
      { minItems: 1, maxItems: DECISION_RULES_MAX },
    ),
  },
  { additionalProperties: false, description: 'Go when every condition holds (seed 002, concept test)' },
);

const Survey = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  title: Type.String(),
  intro: Type.String(),
  questions: Type.Array(Question),
  audience: Nullable(Audience),
  anonymous: Type.Boolean(),
  decisionRule: Nullable(DecisionRule),
  waves: Type.Integer(),
  closedAt: Nullable(DateTime),
  createdAt: DateTime,
});

const Count = Type.Integer({ minimum: 0 });
const Results = Type.Object({
  surveyId: Type.String(),
  title: Type.String(),
  anonymous: Type.Boolean(),
  closed: Type.Boolean(),
  waves: Count,
  audience: Count,
  started: Count,
  completed: Count,
  responseRate: Type.Number({ description: 'Completed / audience, 0–1' }),
  byOrganisation: Type.Array(
    Type.Object({ organisationId: Nullable(Type.String()), name: Nullable(Type.String()), audience: Count, started: Count, completed: Count, responseRate: Type.Number() }),
  ),
  questions: Type.Array(
    Type.Object({
      number: Count,
      kind: Type.String(),
      text: Type.String(),
      answered: Count,
      skipped: Count,
      options: Type.Optional(Type.Array(Type.Object({ number: Count, label: Type.String(), count: Count }))),
      average: Type.Optional(Nullable(Type.Number())),
      answers: Type.Optional(
        Type.Array(Type.Object({ text: Type.String(), memberId: Type.Optional(Type.String()), name: Type.Optional(Type.String()) }), {
          description: 'Open answers; without who when the survey is anonymous',
        }),
      ),
    }),
  ),
});

const Evaluation = Type.Object({
  decisionId: Type.String(),
  surveyId: Type.String(),
  outcome: StringEnum(OUTCOMES),
  phaseBefore: StringEnum(PHASES),
  phaseAfter: StringEnum(PHASES),
  decidedAt: DateTime,
  rules: Type.Array(
    Type.Object({
      question: Count,
      option: Count,
      count: Count,
      answered: Count,
      share: Type.Number(),
      atLeastShare: Type.Optional(Type.Number()),
      atLeastCount: Type.Optional(Type.Integer()),
      met: Type.Boolean(),
    }),
  ),
});

const Decision = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  surveyId: Nullable(Type.String()),
  outcome: StringEnum(OUTCOMES),
  figures: Evaluation.properties.rules,
  phaseBefore: StringEnum(PHASES),
  phaseAfter: StringEnum(PHASES),
  decidedAt: DateTime,
});

const Figure = (description: string) => Nullable(Type.Integer({ description: `${description}; null until the wave went out` }));
const Wave = Type.Object({
  id: Type.String(),
  wave: Count,
  status: StringEnum(['scheduled', 'sent', 'cancelled'] as const, { description: 'scheduled: still to go out at sendAt' }),
  sendAt: DateTime,
  sentAt: Nullable(DateTime),
  cancelledAt: Nullable(DateTime),
  remindAfterHours: Nullable(Type.Number()),
  remindAt: Nullable(DateTime),
  remindedAt: Nullable(DateTime),
  audience: Figure('Members in the audience'),
  sent: Figure('Direct messages queued'),
  notReachable: Figure('Members without a direct chat the bot can reach (Teams members who never wrote to it personally)'),
  completed: Figure('Members who finished already: left alone'),
  reminded: Nullable(Type.Integer({ description: 'Automatic reminders queued; null until then' })),
});

const WaveBody = Type.Object(
  {
    sendAt: Type.Optional(Nullable(Type.String({ format: 'date-time', pattern: '(Z|z|[+-]\\d{2}:\\d{2})$', description: 'When to send (ISO 8601 with an offset); absent or past: now. The scheduler sends it once.' }))),
    // One schema with two types, not a union: with type coercion on, a union would read 0 as null.
    remindAfterHours: Type.Optional(
      Type.Unsafe<number | null>({
        type: ['number', 'null'],
        exclusiveMinimum: 0,
        maximum: REMIND_AFTER_MAX_HOURS,
        description: 'Remind those it reached who have not finished, once, this many hours after it went out; null: no reminder',
      }),
    ),
  },
  { additionalProperties: false },
);

export const surveysRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/communities/:id/surveys',
      {
        schema: {
          tags: ['surveys'],
          summary: 'Make a survey (needs inventory, concept test); a wave sends it',
          description: 'Members answer in a direct chat with the bot, question by question; `survey` / `peiling` starts or resumes.',
          params: IdParams,
          body: Type.Object(
            {
              title: Text(SURVEY_TITLE_MAX),
              intro: Type.Optional(Type.String({ maxLength: SURVEY_INTRO_MAX })),
              questions: Type.Array(Question, { minItems: 1, maxItems: SURVEY_QUESTIONS_MAX }),
              audience: Type.Optional(Nullable(Audience)),
              anonymous: Type.Optional(Type.Boolean({ default: false, description: 'Results never say who answered what' })),
              decisionRule: Type.Optional(Nullable(DecisionRule)),
            },
            { additionalProperties: false },
          ),
          response: { 201: Survey, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await core.surveys.create(request.actor, request.params.id, request.body)),
    );

    app.get(
      '/communities/:id/surveys',
      { schema: { tags: ['surveys'], summary: "The community's surveys, newest first", params: IdParams, querystring: ListQuery(), response: { 200: Page(Survey), ...errorResponses } } },
      async (request) => core.surveys.list(request.actor, request.params.id, request.query),
    );

    app.get(
      '/surveys/:id',
      { schema: { tags: ['surveys'], summary: 'One survey', params: IdParams, response: { 200: Survey, ...errorResponses } } },
      async (request) => core.surveys.get(request.actor, request.params.id),
    );

    app.post(
      '/surveys/:id/waves',
      {
        schema: {
          tags: ['surveys'],
          summary: 'Send the invitation, or a reminder, in a direct chat to every audience member who has not finished — now, or at sendAt',
          params: IdParams,
          body: WaveBody,
          response: { 200: Wave, ...errorResponses },
        },
        // No body at all (as before sendAt existed) means: now, without a reminder.
        preValidation: async (request) => {
          request.body ??= {};
        },
      },
      async (request) => core.surveys.wave(request.actor, request.params.id, request.body),
    );

    app.get(
      '/surveys/:id/waves',
      { schema: { tags: ['surveys'], summary: "A survey's waves, sent, scheduled and cancelled, with their figures", params: IdParams, querystring: ListQuery(), response: { 200: Page(Wave), ...errorResponses } } },
      async (request) => core.surveys.waves(request.actor, request.params.id, request.query),
    );

    app.delete(
      '/surveys/:id/waves/:waveId',
      {
        schema: {
          tags: ['surveys'],
          summary: 'Cancel a scheduled wave before it goes out (409 once it went out)',
          params: Type.Object({ id: Uuid, waveId: Uuid }),
          response: { 200: Wave, ...errorResponses },
        },
      },
      async (request) => core.surveys.cancelWave(request.actor, request.params.id, request.params.waveId),
    );

    app.get(
      '/surveys/:id/results',
      {
        schema: {
          tags: ['surveys'],
          summary: 'Counts per option, averages for scales, open answers, response rate overall and per organisation',
          params: IdParams,
          response: { 200: Results, ...errorResponses },
        },
      },
      async (request) => core.surveys.results(request.actor, request.params.id),
    );

    app.post(
      '/surveys/:id/evaluate',
      {
        schema: {
          tags: ['surveys'],
          summary: "Apply the decision rule: record a go or no-go with the figures; a go moves the community's phase forward",
          params: IdParams,
          response: { 200: Evaluation, ...errorResponses },
        },
      },
      async (request) => core.surveys.evaluate(request.actor, request.params.id),
    );

    app.get(
      '/communities/:id/decisions',
      {
        schema: {
          tags: ['surveys'],
          summary: "The community's go/no-go decisions with their figures, newest first",
          params: IdParams,
          querystring: ListQuery(),
          response: { 200: Page(Decision), ...errorResponses },
        },
      },
      async (request) => core.surveys.decisions(request.actor, request.params.id, request.query),
    );

    app.post(
      '/surveys/:id/close',
      { schema: { tags: ['surveys'], summary: 'Close the survey: answers are no longer taken', params: IdParams, response: { 200: Survey, ...errorResponses } } },
      async (request) => core.surveys.close(request.actor, request.params.id),
    );
  };
