/** Stable error codes: HTTP maps them to statuses, chat to a friendly line in the member's language. */
export type ErrorCode =
  | 'not-found'
  | 'invalid'
  | 'conflict'
  | 'forbidden'
  | 'unauthorized';

/** An expected failure of a core operation. Its message is safe to show to an API client. */
export class CoreError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: Record<string, unknown>,
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

/** True for PostgreSQL's unique_violation, from postgres.js or PGlite (directly or as a cause). */
export function isUniqueViolation(error: unknown): boolean {
  for (let e = error as { code?: unknown; cause?: unknown } | undefined; e; e = e.cause as never) {
    if (e.code === '23505') return true;
  }
  return false;
}
