import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { DateTime, errorResponses, IdParams, Nullable, Page, ListQuery, Text, Uuid } from '../schemas.js';

const Organisation = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  name: Type.String(),
  representativeId: Nullable(Type.String()),
  createdAt: DateTime,
  updatedAt: DateTime,
});

const fields = {
  name: Text(160),
  representativeId: Nullable(Uuid),
};

export const organisationsRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/communities/:id/organisations',
      {
        schema: {
          tags: ['organisations'],
          summary: 'Add an organisation taking part, with its steering-group representative',
          params: IdParams,
          body: Type.Object(
            { name: fields.name, representativeId: Type.Optional(fields.representativeId) },
            { additionalProperties: false },
          ),
          response: { 201: Organisation, ...errorResponses },
        },
      },
      async (request, reply) =>
        reply.status(201).send(await core.organisations.create(request.actor, request.params.id, request.body)),
    );

    app.get(
      '/communities/:id/organisations',
      {
        schema: {
          tags: ['organisations'],
          summary: 'The organisations taking part',
          params: IdParams,
          querystring: ListQuery(),
          response: { 200: Page(Organisation), ...errorResponses },
        },
      },
      async (request) => core.organisations.list(request.actor, request.params.id, request.query),
    );

    app.get(
      '/organisations/:id',
      {
        schema: {
          tags: ['organisations'],
          summary: 'One organisation and its representative',
          params: IdParams,
          response: { 200: Organisation, ...errorResponses },
        },
      },
      async (request) => core.organisations.get(request.actor, request.params.id),
    );

    app.patch(
      '/organisations/:id',
      {
        schema: {
          tags: ['organisations'],
          summary: 'Rename an organisation or change its representative',
          params: IdParams,
          body: Type.Object(
            { name: Type.Optional(fields.name), representativeId: Type.Optional(fields.representativeId) },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: Organisation, ...errorResponses },
        },
      },
      async (request) => core.organisations.update(request.actor, request.params.id, request.body),
    );
  };
