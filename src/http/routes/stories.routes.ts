import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { STORY_STATUSES } from '../../db/schema/index.js';
import { DateTime, errorResponses, IdParams, Language, ListQuery, Nullable, Page, StringEnum, Text } from '../schemas.js';

const REVIEWED = STORY_STATUSES.filter((s) => s !== 'draft');

const Story = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  authorId: Nullable(Type.String()),
  authorName: Type.String({ description: 'Shown to the manager; not published when anonymous' }),
  anonymous: Type.Boolean({ description: "The author's choice: published without their name" }),
  status: StringEnum(REVIEWED),
  text: Type.String(),
  parts: Nullable(Type.Object({ tried: Type.Optional(Type.String()), wentWrong: Type.Optional(Type.String()), learned: Type.Optional(Type.String()) })),
  language: Language,
  submittedAt: Nullable(DateTime),
  reviewedAt: Nullable(DateTime),
  rejectReason: Nullable(Type.String()),
  publishAt: Nullable(DateTime),
  publishedAt: Nullable(DateTime),
  number: Nullable(Type.Integer({ description: 'Its number in the series, once published' })),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const Scheduled = Type.Object({
  storyId: Type.String(),
  communityId: Type.String(),
  status: StringEnum(['approved', 'published'] as const),
  at: DateTime,
  number: Nullable(Type.Integer()),
  preview: Type.String(),
});

export const storiesRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/communities/:id/stories',
      {
        schema: {
          tags: ['stories'],
          summary: 'Failure stories: those not published yet (newest submitted first), then the series (newest first); filter by status',
          params: IdParams,
          querystring: ListQuery({ status: Type.Optional(StringEnum(REVIEWED)) }),
          response: { 200: Page(Story), ...errorResponses },
        },
      },
      async (request) => core.stories.list(request.actor, request.params.id, request.query),
    );

    app.get(
      '/communities/:id/stories/scheduled',
      {
        schema: {
          tags: ['stories'],
          summary: 'Story publications from `from` to `to`: approved ones by their date, published ones by when they went out',
          params: IdParams,
          querystring: Type.Object({ from: Type.String({ format: 'date-time' }), to: Type.String({ format: 'date-time' }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ items: Type.Array(Scheduled) }), ...errorResponses },
        },
      },
      async (request) => ({ items: await core.stories.listScheduled(request.actor, request.params.id, new Date(request.query.from), new Date(request.query.to)) }),
    );

    app.get(
      '/stories/:id',
      {
        schema: { tags: ['stories'], summary: 'One story', params: IdParams, response: { 200: Story, ...errorResponses } },
      },
      async (request) => core.stories.get(request.actor, request.params.id),
    );

    app.patch(
      '/stories/:id',
      {
        schema: {
          tags: ['stories'],
          summary: 'Review a story: approve it (publishAt: when; absent: at once), reject it with a reason, reschedule it, or edit its text',
          params: IdParams,
          body: Type.Object(
            {
              status: Type.Optional(StringEnum(['approved', 'rejected'] as const)),
              text: Type.Optional(Text(20_000)),
              reason: Type.Optional(Text(1_000)),
              publishAt: Type.Optional(Nullable(Type.String({ format: 'date-time' }))),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Story, ...errorResponses },
        },
      },
      async (request) => core.stories.update(request.actor, request.params.id, request.body),
    );
  };
