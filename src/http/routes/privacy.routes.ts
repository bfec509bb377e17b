import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { DateTime, errorResponses, IdParams } from '../schemas.js';

const Erasure = Type.Object({
  memberId: Type.String(),
  erasedAt: DateTime,
  erased: Type.Object(
    {
      identities: Type.Integer(),
      upcomingSignups: Type.Integer(),
      storiesDeleted: Type.Integer(),
      storiesAnonymised: Type.Integer(),
      signaturesAnonymised: Type.Integer(),
      directMessagesDeleted: Type.Integer(),
    },
    { description: 'What was taken away or made anonymous: counts only' },
  ),
});

/** A member's right of access and to erasure (AVG/GDPR articles 15 and 17). */
export const privacyRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.get(
      '/members/:id/export',
      {
        schema: {
          tags: ['members'],
          summary: 'Everything kept about a member, as one JSON file (AVG/GDPR right of access)',
          description:
            'Profile, how each channel knows them, groups, message records (when and which command: bodies are not kept), sign-ups, poll votes, survey answers, questions, answers, stories, signatures, proposals, bridged excerpts and the messages the bot sent them directly.',
          params: IdParams,
          response: { 200: Type.Object({}, { additionalProperties: true }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const exported = await core.privacy.export(request.actor, request.params.id);
        return reply
          .header('content-disposition', `attachment; filename="member-${request.params.id}.json"`)
          .header('cache-control', 'private, no-store')
          .send(exported);
      },
    );

    app.delete(
      '/members/:id',
      {
        schema: {
          tags: ['members'],
          summary: 'Erase a member (AVG/GDPR right to erasure)',
          description:
            'Deletes the member, how each channel knows them, their sign-ups (a freed place on an upcoming activity goes to the waiting list), votes, survey answers and unpublished stories, and the messages to their own chat. Published stories, questions and answers stay without their name; a declaration signature stays the organisation’s, signed by "a former member". Message records stay for the figures, without the member. Cannot be undone.',
          params: IdParams,
          response: { 200: Erasure, ...errorResponses },
        },
      },
      async (request) => core.privacy.erase(request.actor, request.params.id),
    );
  };
