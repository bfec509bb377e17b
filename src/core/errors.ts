/** Stable error codes: HTTP maps them to statuses, chat to a friendly line in the member's language. */
export type ErrorCode =
  | 'not-found'
  | 'invalid'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized';

/** A more precise problem for API clients than the code (`declaration-too-long`); the status follows the code. */
export interface ProblemDetail {
  code: string;
  errors?: { path: string; message: string }[];
}

/** An expected failure of a core operation. Its message is safe to show to an API client. */
export class CoreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
    readonly problem?: ProblemDetail,
  ) {
    super(message);
    this.name = 'CoreError';
  }
}

export const notFound = (what: string) => new CoreError('not-found', `${what} not found`);
export const invalid = (message: string, details?: Record<string, unknown>) =>
  new CoreError('invalid', message, details);
export const conflict = (message: string) => new CoreError('conflict', message);
export const forbidden = (message: string) => new CoreError('forbidden', message);

/** The PostgreSQL SQLSTATE of an error from postgres.js or PGlite, directly or as a cause. */
function sqlState(error: unknown): string | null {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as never) {
    if (typeof e.code === 'string' && /^[0-9A-Z]{5}$/.test(e.code)) return e.code;
  }
  return null;
}

/** True for PostgreSQL's unique_violation. */
export const isUniqueViolation = (error: unknown) => sqlState(error) === '23505';

/** A row referred to one that another transaction deleted meanwhile (an erased member). */
export const isForeignKeyViolation = (error: unknown) => sqlState(error) === '23503';

/**
 * True when PostgreSQL refused a text value it cannot store: a NUL character (22P05 in a jsonb
 * value, 22021 in text). Such input is the client's mistake, not the server's.
 */
export const isUnstorableText = (error: unknown) => ['22P05', '22021'].includes(sqlState(error) ?? '');

/** Text as PostgreSQL can store it: without NUL and the other control characters but tab and newlines. */
export const storableText = (text: string) => text.replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F]/g, '');
