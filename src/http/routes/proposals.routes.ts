import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { RULES_TEXT_MAX } from '../../core/rules/proposals.service.js';
import { PROPOSAL_STATUSES } from '../../db/schema/index.js';
import { DateTime, errorResponses, IdParams, ListQuery, Nullable, Page, StringEnum, Text, Uuid } from '../schemas.js';

const Status = StringEnum(PROPOSAL_STATUSES);

const Proposal = Type.Object({
  id: Type.String(),
  communityId: Type.String(),
  number: Type.Integer({ description: 'The number used in chat: adopt 2' }),
  text: Type.String(),
  proposedById: Nullable(Type.String()),
  status: Status,
  decidedAt: Nullable(DateTime),
  adoptedVersion: Nullable(Type.Integer()),
  createdAt: DateTime,
});

export const proposalsRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.post(
      '/communities/:id/rules/proposals',
      {
        schema: {
          tags: ['communities'],
          summary: 'Propose a new text for the house rules (for the manager to adopt)',
          params: IdParams,
          body: Type.Object(
            {
              text: Text(RULES_TEXT_MAX, { description: 'The whole new text of the house rules' }),
              proposedById: Type.Optional(Nullable(Uuid)),
            },
            { additionalProperties: false },
          ),
          response: { 201: Proposal, ...errorResponses },
        },
      },
      async (request, reply) => reply.status(201).send(await core.proposals.create(request.actor, request.params.id, request.body)),
    );

    app.get(
      '/communities/:id/rules/proposals',
      {
        schema: {
          tags: ['communities'],
          summary: 'Proposals for the house rules, newest first',
          params: IdParams,
          querystring: ListQuery({ status: Type.Optional(Status) }),
          response: { 200: Page(Proposal), ...errorResponses },
        },
      },
      async (request) => core.proposals.list(request.actor, request.params.id, request.query),
    );

    for (const [path, decision, summary] of [
      ['adopt', 'adopted', 'Adopt: it becomes the next house-rules version, and every group is asked to accept it'],
      ['decline', 'declined', 'Decline the proposal'],
    ] as const) {
      app.post(
        `/rules/proposals/:id/${path}`,
        { schema: { tags: ['communities'], summary, params: IdParams, response: { 200: Proposal, ...errorResponses } } },
        async (request) => core.proposals.decide(request.actor, request.params.id, decision),
      );
    }
  };
