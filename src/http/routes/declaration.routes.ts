import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Core } from '../../core/index.js';
import { SIGNATURE_VIA } from '../../db/schema/index.js';
import { bearerToken } from '../plugins/auth.js';
import { sendProblem } from '../plugins/errors.js';
import { DateTime, errorResponses, IdParams, Nullable, StringEnum, Text, Uuid } from '../schemas.js';

const Signature = Type.Object({
  organisationId: Type.String(),
  organisation: Type.String(),
  memberId: Nullable(Type.String()),
  name: Type.String({ description: 'Who signed, as their name was then' }),
  version: Type.Integer(),
  via: StringEnum(SIGNATURE_VIA),
  signedAt: DateTime,
});

const Declaration = Type.Object({
  communityId: Type.String(),
  version: Type.Integer(),
  text: Type.String(),
  publishedAt: DateTime,
  complete: Type.Boolean({ description: 'Every participating organisation signed this version' }),
  celebratedAt: Nullable(DateTime),
  signed: Type.Array(Signature),
  unsigned: Type.Array(
    Type.Object({
      organisationId: Type.String(),
      organisation: Type.String(),
      representativeId: Nullable(Type.String()),
      representative: Nullable(Type.String()),
    }),
  ),
});

const Html = { description: 'text/html', content: { 'text/html': { schema: Type.String() } } };

export const declarationRoutes =
  (core: Core): FastifyPluginAsyncTypebox =>
  async (app) => {
    app.put(
      '/communities/:id/declaration',
      {
        schema: {
          tags: ['declaration'],
          summary: 'A new version of the intent declaration (at most 3,500 characters); the representatives are asked to sign it',
          params: IdParams,
          // No maxLength here: a longer text gets the declaration-too-long problem, with the limit and its length.
          body: Type.Object({ text: Type.String({ minLength: 1, pattern: '\\S' }) }, { additionalProperties: false }),
          response: { 200: Type.Object({ ...Declaration.properties, created: Type.Boolean({ description: 'false: the text was the current one' }) }), ...errorResponses },
        },
      },
      async (request) => core.declaration.publish(request.actor, request.params.id, request.body.text),
    );

    app.get(
      '/communities/:id/declaration',
      {
        schema: {
          tags: ['declaration'],
          summary: 'The current intent declaration: its text, who signed it (who, when, which version) and who has not',
          params: IdParams,
          response: { 200: Declaration, ...errorResponses },
        },
      },
      async (request) => core.declaration.get(request.actor, request.params.id),
    );

    app.post(
      '/communities/:id/declaration/signatures',
      {
        schema: {
          tags: ['declaration'],
          summary: "Record an organisation's signature under the current version (by its representative unless signedBy names who signed); idempotent",
          params: IdParams,
          body: Type.Object({ organisationId: Uuid, signedBy: Type.Optional(Text(160)) }, { additionalProperties: false }),
          response: {
            200: Type.Object({ created: Type.Boolean(), complete: Type.Boolean(), signature: Signature }),
            201: Type.Object({ created: Type.Boolean(), complete: Type.Boolean(), signature: Signature }),
            ...errorResponses,
          },
        },
      },
      async (request, reply) => {
        const result = await core.declaration.sign(request.actor, request.params.id, request.body);
        return reply.status(result.created ? 201 : 200).send(result);
      },
    );

    app.post(
      '/communities/:id/declaration/reminders',
      {
        schema: {
          tags: ['declaration'],
          summary: 'Remind the representatives of the organisations that have not signed, now',
          params: IdParams,
          response: { 200: Type.Object({ reminded: Type.Integer(), notReachable: Type.Integer(), withoutRepresentative: Type.Integer() }), ...errorResponses },
        },
      },
      async (request) => core.declaration.remind(request.actor, request.params.id),
    );

    app.post(
      '/communities/:id/declaration/print-link',
      {
        schema: {
          tags: ['declaration'],
          summary: 'A link to the printable page that opens in a browser without a token (valid 7 days; a new one replaces it)',
          params: IdParams,
          response: { 201: Type.Object({ url: Type.String(), expiresAt: DateTime }), ...errorResponses },
        },
      },
      async (request, reply) => {
        const { token, expiresAt } = await core.declaration.printLink(request.actor, request.params.id);
        const url = `${request.protocol}://${request.host}/v1/communities/${request.params.id}/declaration/print?token=${token}`;
        return reply.status(201).send({ url, expiresAt });
      },
    );

    app.get(
      '/communities/:id/declaration/print',
      {
        // A browser following a link sends no bearer token: the link's secret is the credential.
        // With a bearer token (curl, a dashboard) the page opens as any other route.
        config: { bearer: false },
        schema: {
          tags: ['declaration'],
          summary: 'The declaration as a printable A4 page with the signatures (a bearer token, or ?token= from print-link)',
          security: [{ bearer: [] }, {}],
          params: IdParams,
          querystring: Type.Object({ token: Type.Optional(Type.String({ minLength: 16, maxLength: 100 })) }, { additionalProperties: false }),
          response: { 200: Html, ...errorResponses },
        },
      },
      async (request, reply) => {
        const bearer = bearerToken(request);
        const actor = bearer ? await core.tokens.authenticate(bearer) : null;
        if (!actor && !request.query.token) {
          reply.header('www-authenticate', 'Bearer realm="samen"');
          return sendProblem(request, reply, {
            status: 401,
            code: 'unauthorized',
            detail: bearer ? 'The bearer token is unknown or revoked' : 'Send a bearer token, or open the link from POST …/declaration/print-link',
          });
        }
        const html = await core.declaration.printPage(actor ? { actor } : { token: request.query.token! }, request.params.id);
        return reply
          .type('text/html; charset=utf-8')
          .header('cache-control', 'private, no-store')
          .header('content-security-policy', "default-src 'none'; style-src 'unsafe-inline'")
          .send(html);
      },
    );
  };
