import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { DateTime, errorResponses, IdParams, Language, Nullable, Page, ListQuery, Phase, Text } from '../schemas.js';

const Rules = Type.Object({
  version: Type.Integer(),
  text: Type.String(),
  adoptedAt: DateTime,
});

export const BridgeState = Type.Object({
  enabled: Type.Boolean({ description: 'Ordinary messages cross between the spaces' }),
  paused: Type.Boolean({ description: 'On, but held by a manager: nothing crosses meanwhile' }),
  pausedAt: Nullable(DateTime),
  scope: Type.Union([Type.Literal('all'), Type.Literal('pairs')], { description: 'all: every space hears every other; pairs: only the chosen pairs' }),
});

export const Community = Type.Object({
  id: Type.String(),
  name: Type.String(),
  slug: Type.String(),
  purpose: Type.String({ description: 'The shared question (vraagstuk) the community works on' }),
  themes: Type.Array(Type.String()),
  language: Language,
  timezone: Type.String(),
  phase: Phase,
  rules: Nullable(Rules),
  bridge: BridgeState,
  createdAt: DateTime,
  updatedAt: DateTime,
});

const fields = {
  name: Text(120),
  slug: Type.String({
    minLength: 2,
    maxLength: 60,
    pattern: '^[a-z0-9]+(-[a-z0-9]+)*$',
    description: 'lower-case letters, digits and hyphens; members type it to link a group',
  }),
  purpose: Type.String({ maxLength: 2000 }),
  themes: Type.Array(Text(60), { maxItems: 20 }),
  language: Language,
  timezone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA name, e.g. Europe/Amsterdam' }),
  phase: Phase,
  rules: Type.String({ maxLength: 10_000, description: 'House rules: new text becomes the next version' }),
};

const CommunityCreate = Type.Object(
  {
    name: fields.name,
    slug: fields.slug,
    purpose: Type.Optional(fields.purpose),
    themes: Type.Optional(fields.themes),
    language: Type.Optional(fields.language),
    timezone: Type.Optional(fields.timezone),
    phase: Type.Optional(fields.phase),
    rules: Type.Optional(fields.rules),
    bridge: Type.Optional(Type.Boolean({ description: 'The community bridge: ordinary messages cross between all its groups and channels' })),
  },
  { additionalProperties: false },
);

const CommunityPatch = Type.Partial(CommunityCreate, { additionalProperties: false, minProperties: 1 });

export const communitiesRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/communities',
      {
        schema: {
          tags: ['communities'],
          summary: 'Create a community (admin)',
          body: CommunityCreate,
          response: { 201: Community, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await core.communities.create(request.actor, request.body)),
    );

    app.get(
      '/communities',
      {
        schema: {
          tags: ['communities'],
          summary: 'List the communities this token may see',
          querystring: ListQuery(),
          response: { 200: Page(Community), ...errorResponses },
        },
      },
      async (request) => core.communities.list(request.actor, request.query),
    );

    app.get(
      '/communities/:id',
      {
        schema: {
          tags: ['communities'],
          summary: 'One community with its current house rules',
          params: IdParams,
          response: { 200: Community, ...errorResponses },
        },
      },
      async (request) => core.communities.get(request.actor, request.params.id),
    );

    app.patch(
      '/communities/:id',
      {
        schema: {
          tags: ['communities'],
          summary: 'Change a community: phase, language, house rules…',
          params: IdParams,
          body: CommunityPatch,
          response: { 200: Community, ...errorResponses },
        },
      },
      async (request) => core.communities.update(request.actor, request.params.id, request.body),
    );

    app.get(
      '/communities/:id/rules',
      {
        schema: {
          tags: ['communities'],
          summary: 'Every version of the house rules, newest first',
          params: IdParams,
          querystring: ListQuery(),
          response: { 200: Page(Rules), ...errorResponses },
        },
      },
      async (request) => core.communities.rulesHistory(request.actor, request.params.id, request.query),
    );
  };
