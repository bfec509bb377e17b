/** One page of a list. */
export interface Page<T> {
  items: T[];
  total: number;
  limit: number;
  offset: number;
}

export interface PageQuery {
  limit?: number;
  offset?: number;
}

export const DEFAULT_LIMIT = 50;
export const MAX_LIMIT = 200;

/** Normalised paging with the defaults and bounds every list shares. */
export function paging(query: PageQuery): { limit: number; offset: number } {
  return {
    limit: Math.min(Math.max(query.limit ?? DEFAULT_LIMIT, 1), MAX_LIMIT),
    offset: Math.max(query.offset ?? 0, 0),
  };
}
