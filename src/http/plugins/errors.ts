import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { CoreError, isUnstorableText, type ErrorCode } from '../../core/errors.js';

const STATUS: Record<ErrorCode, number> = {
  invalid: 400,
  unauthorized: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
};

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  406: 'Not Acceptable',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

/** Codes for the 4xx errors Fastify and its plugins raise themselves. */
const FASTIFY_CODES: Record<number, string> = {
  400: 'bad-request',
  404: 'not-found',
  405: 'method-not-allowed',
  406: 'not-acceptable',
  413: 'payload-too-large',
  415: 'unsupported-media-type',
  429: 'rate-limited',
};

interface ProblemInit {
  status: number;
  code: string;
  detail: string;
  errors?: { path: string; message: string }[];
}

/** Sends an RFC 9457 application/problem+json response. */
export function sendProblem(request: FastifyRequest, reply: FastifyReply, problem: ProblemInit) {
  return reply
    .status(problem.status)
    .type('application/problem+json; charset=utf-8')
    .send({
      type: `urn:samen:problem:${problem.code}`,
      title: TITLES[problem.status] ?? 'Error',
      status: problem.status,
      detail: problem.detail,
      code: problem.code,
      instance: request.url.split('?')[0],
      requestId: request.id,
      ...(problem.errors ? { errors: problem.errors } : {}),
    });
}

/**
 * One error handler for the whole API: core errors by their code, validation errors with the
 * fields at fault, other 4xx as they are, and every 5xx as a bare "internal" with the request
 * id to quote — never a stack trace or a message from inside.
 */
export function registerErrorHandling(app: FastifyInstance) {
  app.setErrorHandler((error: FastifyError | CoreError, request, reply) => {
    if (error instanceof CoreError) {
      return sendProblem(request, reply, {
        status: STATUS[error.code],
        code: error.problem?.code ?? error.code,
        detail: error.message,
        ...(error.problem?.errors && { errors: error.problem.errors }),
      });
    }
    if ('validation' in error && error.validation) {
      const errors = error.validation.map((v) => ({
        path: `${error.validationContext ?? ''}${v.instancePath || ''}${
          v.keyword === 'required' || v.keyword === 'additionalProperties'
            ? `/${String((v.params as Record<string, unknown>).missingProperty ?? (v.params as Record<string, unknown>).additionalProperty)}`
            : ''
        }`,
        message: v.message ?? 'is invalid',
      }));
      const detail = errors.map((e) => `${e.path} ${e.message}`).join('; ');
      return sendProblem(request, reply, { status: 400, code: 'validation', detail, errors });
    }
    if (isUnstorableText(error)) {
      return sendProblem(request, reply, {
        status: 400,
        code: 'invalid',
        detail: 'The text contains a character that cannot be stored (a NUL or similar control character)',
      });
    }
    const status = error.statusCode ?? 500;
    if (status >= 400 && status < 500) {
      if (status === 429 && !reply.hasHeader('retry-after')) reply.header('retry-after', '60');
      return sendProblem(request, reply, {
        status,
        code: FASTIFY_CODES[status] ?? 'bad-request',
        detail: error.message || TITLES[status] || 'Bad request',
      });
    }
    request.log.error({ err: error }, 'request failed');
    return sendProblem(request, reply, {
      status: 500,
      code: 'internal',
      detail: 'Something went wrong on our side. Quote the request id when you report it.',
    });
  });

  app.setNotFoundHandler((request, reply) =>
    sendProblem(request, reply, {
      status: 404,
      code: 'not-found',
      detail: `No route for ${request.method} ${request.url.split('?')[0]}`,
    }),
  );
}
