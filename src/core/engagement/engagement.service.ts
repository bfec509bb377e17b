import type { Db } from '../../db/client.js';
import { requireExistingCommunity, type Actor } from '../access.js';
import { invalid } from '../errors.js';
import { engagementFigures, type EngagementFigures } from './engagement.js';

const DAY_MS = 86_400_000;
/** The window when none is given: the last 30 days. */
export const DEFAULT_DAYS = 30;
/** The longest window asked at once. */
export const MAX_DAYS = 731;

/** The engagement figures (betrokkenheid) for the admin API. */
export function createEngagementService(db: Db, clock: () => Date) {
  return {
    /** Figures over `from`–`to` (default: the 30 days up to now). */
    async figures(actor: Actor, communityId: string, query: { from?: string; to?: string }): Promise<EngagementFigures> {
      await requireExistingCommunity(db, actor, communityId);
      const to = query.to ? new Date(query.to) : clock();
      const from = query.from ? new Date(query.from) : new Date(to.getTime() - DEFAULT_DAYS * DAY_MS);
      if (Number.isNaN(from.getTime())) throw invalid('from is not a date-time', { field: 'from' });
      if (Number.isNaN(to.getTime())) throw invalid('to is not a date-time', { field: 'to' });
      if (from >= to) throw invalid('from must be before to', { field: 'from' });
      if (to.getTime() - from.getTime() > MAX_DAYS * DAY_MS) throw invalid(`The window is at most ${MAX_DAYS} days`, { field: 'from' });
      return engagementFigures(db, communityId, { from, to });
    },
  };
}

export type EngagementService = ReturnType<typeof createEngagementService>;
