import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { ESCALATE_AFTER_HOURS_MAX } from '../../core/questions/questions.api.js';
import { SEARCH_MAX } from '../../core/questions/questions.search.js';
import { QUESTION_MAX } from '../../core/questions/questions.service.js';
import { DateTime, errorResponses, IdParams, ListQuery, Nullable, Page, StringEnum, Text, Uuid } from '../schemas.js';

const Question = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  number: Type.Integer({ description: 'The number members use in chat: answer 3 …' }),
  text: Type.String(),
  language: Type.String({ description: 'The language it is indexed in for search (the community’s when asked)' }),
  askedById: Nullable(Type.String()),
  askedBy: Nullable(Type.String({ description: 'Display name and organisation; null when asked through the API' })),
  spaceId: Nullable(Type.String({ description: 'The group or channel it was asked in' })),
  answerCount: Type.Integer({ description: 'Answers not hidden' }),
  solvedAt: Nullable(DateTime),
  solvedAnswerId: Nullable(Type.String()),
  escalatedAt: Nullable(DateTime),
  hidden: Type.Boolean(),
  createdAt: DateTime,
});

const Answer = Type.Object({
  id: Type.String(),
  questionId: Type.String(),
  communityId: Type.String(),
  number: Type.Integer({ description: 'Per question: solved 3 2 names answer 2' }),
  text: Type.String(),
  language: Type.String(),
  memberId: Nullable(Type.String()),
  author: Type.String({ description: 'Display name and organisation' }),
  spaceId: Nullable(Type.String()),
  via: StringEnum(['command', 'reply'] as const, { description: 'answer N …, or a reply to the question' }),
  hidden: Type.Boolean(),
  best: Type.Boolean({ description: 'Marked as the answer that solved it' }),
  createdAt: DateTime,
});

const QuestionWithAnswers = Type.Object({ ...Question.properties, answers: Type.Array(Answer) });

const Hit = Type.Object({
  questionId: Type.String(),
  number: Type.Integer(),
  question: Type.String(),
  solved: Type.Boolean(),
  answerNumber: Nullable(Type.Integer({ description: 'The answer that matched best; null: the question itself' })),
  rank: Type.Number({ description: 'ts_rank of the best passage' }),
  snippet: Type.String({ description: 'The passage around the matching words, HTML-escaped, the words in <mark>' }),
});

const Settings = Type.Object({
  escalateAfterHours: Type.Integer({ description: 'Unanswered this long, a question goes to the ambassadors; 0: never' }),
  default: Type.Boolean({ description: 'True: the server’s default (QUESTION_ESCALATE_AFTER_HOURS)' }),
});

const Hidden = Type.Object({ hidden: Type.Optional(Type.Boolean({ description: 'Hidden from chat, search and notices' })) }, { additionalProperties: false });

export const questionsRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    const tags = ['questions'];

    app.post(
      '/communities/:id/questions',
      {
        schema: {
          tags,
          summary: 'Ask the community (in the name of the community manager): posted to every group and channel',
          params: IdParams,
          body: Type.Object({ text: Text(QUESTION_MAX) }, { additionalProperties: false }),
          response: { 201: Type.Object({ ...QuestionWithAnswers.properties, postedTo: Type.Integer() }), ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await core.questions.create(request.actor, request.params.id, request.body)),
    );

    app.get(
      '/communities/:id/questions',
      {
        schema: {
          tags,
          summary: "The community's questions, newest first",
          params: IdParams,
          querystring: ListQuery({
            status: Type.Optional(StringEnum(['open', 'unanswered', 'solved'] as const, { description: 'open: not solved; unanswered: not solved and no answer' })),
          }),
          response: { 200: Page(Question), ...errorResponses },
        },
      },
      async (request) => core.questions.list(request.actor, request.params.id, request.query),
    );

    app.get(
      '/communities/:id/knowledge',
      {
        schema: {
          tags,
          summary: 'Search questions and answers (full text, in the community’s language), best first',
          description:
            'All the words first (web-search syntax: "a phrase", -without, or); when that finds nothing, any of them. Dutch words are stemmed: vrijwilliger finds vrijwilligers. One result per question.',
          params: IdParams,
          querystring: ListQuery({ q: Text(SEARCH_MAX, { description: 'What to look for' }) }),
          response: { 200: Page(Hit), ...errorResponses },
        },
      },
      async (request) => core.questions.knowledge(request.actor, request.params.id, request.query),
    );

    app.get(
      '/communities/:id/questions/settings',
      { schema: { tags, summary: 'When unanswered questions go to the ambassadors', params: IdParams, response: { 200: Settings, ...errorResponses } } },
      async (request) => core.questions.settings(request.actor, request.params.id),
    );

    app.put(
      '/communities/:id/questions/settings',
      {
        schema: {
          tags,
          summary: 'Set when unanswered questions go to the ambassadors',
          params: IdParams,
          body: Type.Object({ escalateAfterHours: Type.Integer({ minimum: 0, maximum: ESCALATE_AFTER_HOURS_MAX }) }, { additionalProperties: false }),
          response: { 200: Settings, ...errorResponses },
        },
      },
      async (request) => core.questions.updateSettings(request.actor, request.params.id, request.body),
    );

    app.delete(
      '/communities/:id/questions/settings',
      { schema: { tags, summary: 'Go back to the server’s default time (QUESTION_ESCALATE_AFTER_HOURS)', params: IdParams, response: { 200: Settings, ...errorResponses } } },
      async (request) => core.questions.updateSettings(request.actor, request.params.id, { escalateAfterHours: null }),
    );

    app.get(
      '/questions/:id',
      { schema: { tags, summary: 'One question with all its answers (hidden ones included, marked)', params: IdParams, response: { 200: QuestionWithAnswers, ...errorResponses } } },
      async (request) => core.questions.get(request.actor, request.params.id),
    );

    app.patch(
      '/questions/:id',
      { schema: { tags, summary: 'Hide a question from chat and search, or show it again', params: IdParams, body: Hidden, response: { 200: QuestionWithAnswers, ...errorResponses } } },
      async (request) => core.questions.update(request.actor, request.params.id, request.body),
    );

    app.post(
      '/questions/:id/solve',
      {
        schema: {
          tags,
          summary: 'Mark the question solved, with its best answer if given; every group and channel hears of it',
          params: IdParams,
          body: Type.Object({ answerId: Type.Optional(Type.Union([Type.Null(), Uuid])) }, { additionalProperties: false }),
          response: { 200: QuestionWithAnswers, ...errorResponses },
        },
      },
      async (request) => core.questions.solve(request.actor, request.params.id, request.body),
    );

    app.patch(
      '/answers/:id',
      { schema: { tags, summary: 'Hide an answer (from chat, search and notices), or show it again', params: IdParams, body: Hidden, response: { 200: QuestionWithAnswers, ...errorResponses } } },
      async (request) => core.questions.updateAnswer(request.actor, request.params.id, request.body),
    );
  };
