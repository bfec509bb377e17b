import { Type, type TProperties, type TSchema } from 'typebox';
import { CHANNELS } from '../core/channel.js';
import { DEFAULT_LIMIT, MAX_LIMIT } from '../core/page.js';
import { LANGUAGES, OUTBOX_STATUSES, PHASES, ROLES } from '../db/schema/index.js';

/** A string enum from a const list. */
export const StringEnum = <T extends readonly string[]>(values: T, options: object = {}) =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

export const Uuid = Type.String({ format: 'uuid' });
/**
 * A name or label: it must show something. The core trims names, so one of only white space
 * would be stored empty (and a community's name shown blank in chat).
 */
export const Text = (maxLength: number, options: object = {}) =>
  Type.String({ minLength: 1, maxLength, pattern: '\\S', ...options });
/** A timestamp: a Date going out (serialised as ISO 8601), an ISO 8601 string coming in. */
export const DateTime = Type.Unsafe<Date | string>({ type: 'string', format: 'date-time' });
export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Language = StringEnum(LANGUAGES, { description: 'en or nl' });
export const Phase = StringEnum(PHASES, { description: 'The life-cycle phase (seed 002)' });
export const Role = StringEnum(ROLES);
export const Channel = StringEnum(CHANNELS);
export const OutboxStatus = StringEnum(OUTBOX_STATUSES);

export const IdParams = Type.Object({ id: Uuid });

export const PageQuery = {
  limit: Type.Optional(Type.Integer({ minimum: 1, maximum: MAX_LIMIT, default: DEFAULT_LIMIT })),
  offset: Type.Optional(Type.Integer({ minimum: 0, maximum: 1_000_000, default: 0 })),
};

/** A list's query string: paging plus the list's own filters, nothing else. */
export const ListQuery = <T extends TProperties>(filters: T = {} as T) =>
  Type.Object({ ...PageQuery, ...filters }, { additionalProperties: false });

export const Page = <T extends TSchema>(item: T) =>
  Type.Object({
    items: Type.Array(item),
    total: Type.Integer(),
    limit: Type.Integer(),
    offset: Type.Integer(),
  });

/** RFC 9457 problem details, with our stable `code`. */
export const Problem = Type.Object(
  {
    type: Type.String(),
    title: Type.String(),
    status: Type.Integer(),
    detail: Type.String(),
    code: Type.String(),
    instance: Type.Optional(Type.String()),
    requestId: Type.Optional(Type.String()),
    errors: Type.Optional(Type.Array(Type.Object({ path: Type.String(), message: Type.String() }))),
  },
  { description: 'RFC 9457 problem details' },
);

/** A problem response, documented with the media type sendProblem gives it. */
const ProblemResponse = {
  description: 'RFC 9457 problem details',
  content: { 'application/problem+json': { schema: Problem } },
};

/** Error responses every authenticated route may give. */
export const errorResponses = {
  400: ProblemResponse,
  401: ProblemResponse,
  403: ProblemResponse,
  404: ProblemResponse,
  409: ProblemResponse,
  429: ProblemResponse,
  500: ProblemResponse,
};
