import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { Channel, DateTime, errorResponses, IdParams, Language, Nullable, Page, ListQuery, Role, Text, Uuid } from '../schemas.js';

const memberFields = {
  id: Type.String(),
  communityId: Type.String(),
  displayName: Type.String(),
  organisationId: Nullable(Type.String()),
  role: Role,
  language: Nullable(Language),
  rulesAcceptedVersion: Nullable(Type.Integer()),
  rulesAcceptedAt: Nullable(DateTime),
  firstSeenAt: DateTime,
  lastSeenAt: DateTime,
  eraseRequestedAt: Nullable(DateTime),
};
const Member = Type.Object(memberFields);
const MemberDetail = Type.Object({
  ...memberFields,
  identities: Type.Array(
    Type.Object({ channel: Channel, externalId: Type.String(), createdAt: DateTime }),
    { description: 'How the member is known on each channel (personal data: for managers only)' },
  ),
});

export const membersRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/communities/:id/members',
      {
        schema: {
          tags: ['members'],
          summary: 'Members of a community, by name',
          params: IdParams,
          querystring: ListQuery({ role: Type.Optional(Role), organisationId: Type.Optional(Uuid) }),
          response: { 200: Page(Member), ...errorResponses },
        },
      },
      async (request) => core.members.list(request.actor, request.params.id, request.query),
    );

    app.get(
      '/members/:id',
      {
        schema: { tags: ['members'], summary: 'One member, with how they are known on each channel', params: IdParams, response: { 200: MemberDetail, ...errorResponses } },
      },
      async (request) => core.members.get(request.actor, request.params.id),
    );

    app.patch(
      '/members/:id',
      {
        schema: {
          tags: ['members'],
          summary: 'Change a member: role (ambassador, manager), organisation, name, language',
          params: IdParams,
          body: Type.Object(
            {
              displayName: Type.Optional(Text(80)),
              role: Type.Optional(Role),
              organisationId: Type.Optional(Nullable(Uuid)),
              language: Type.Optional(Nullable(Language)),
            },
            { additionalProperties: false, minProperties: 1 },
          ),
          response: { 200: MemberDetail, ...errorResponses },
        },
      },
      async (request) => core.members.update(request.actor, request.params.id, request.body),
    );
  };
