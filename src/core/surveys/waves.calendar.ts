import { and, eq, gte, isNull, lt, or } from 'drizzle-orm';
import { surveys, surveyWaves } from '../../db/schema/index.js';
import type { CalendarEntry, CalendarSource } from '../calendar/sources.js';

/**
 * Survey waves in the content calendar: each wave on its send time (planned, or done once sent),
 * and its automatic reminder on the time it is due. Cancelled waves are not listed.
 */
export const surveyWavesSource: CalendarSource = {
  name: 'survey-waves',
  async entries(tx, community, { from, to }) {
    const rows = await tx
      .select({ wave: surveyWaves, title: surveys.title })
      .from(surveyWaves)
      .innerJoin(surveys, eq(surveys.id, surveyWaves.surveyId))
      .where(
        and(
          eq(surveys.communityId, community.id),
          isNull(surveyWaves.cancelledAt),
          or(and(gte(surveyWaves.sendAt, from), lt(surveyWaves.sendAt, to)), and(gte(surveyWaves.remindAt, from), lt(surveyWaves.remindAt, to))),
        ),
      )
      .limit(1000);
    const entries: CalendarEntry[] = [];
    for (const { wave, title } of rows) {
      const base = { source: 'survey', id: wave.surveyId, recurring: false };
      if (wave.sendAt >= from && wave.sendAt < to) {
        entries.push({ ...base, at: wave.sendAt, kind: 'survey-wave', title: `${title} — wave ${wave.number}`, status: wave.sentAt ? 'done' : 'planned' });
      }
      if (wave.remindAt && wave.remindAt >= from && wave.remindAt < to) {
        entries.push({ ...base, at: wave.remindAt, kind: 'survey-reminder', title: `${title} — wave ${wave.number}`, status: wave.remindedAt ? 'done' : 'planned' });
      }
    }
    return entries;
  },
};
