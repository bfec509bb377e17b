import { index, integer, pgTable, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { surveys } from './surveys.js';
import { id, timestamps, tstz } from './columns.js';

/**
 * A wave of a survey: the invitation (or, for those who began, a reminder) in a direct chat to
 * every audience member who has not finished. Sent at once or at `sendAt` by the scheduler, which
 * claims the row (FOR UPDATE SKIP LOCKED) and sets `sentAt` in the same transaction, so a wave
 * goes out once however many instances run. With `remindAfterMinutes`, those it reached who have
 * not finished are reminded once, at `remindAt`. A manager can cancel it until it went out.
 */
export const surveyWaves = pgTable(
  'survey_waves',
  {
    id: id(),
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    /** 1, 2, … per survey; survey_participants.last_wave names it. */
    number: integer('number').notNull(),
    sendAt: tstz('send_at').notNull(),
    sentAt: tstz('sent_at'),
    remindAfterMinutes: integer('remind_after_minutes'),
    /** sentAt + remindAfterMinutes, set when the wave goes out. */
    remindAt: tstz('remind_at'),
    remindedAt: tstz('reminded_at'),
    /** What sending found: the audience, messages queued, members not reachable, finished already. */
    audience: integer('audience'),
    sent: integer('sent'),
    notReachable: integer('not_reachable'),
    completed: integer('completed'),
    /** Reminders queued. */
    reminded: integer('reminded'),
    /** Called off by a manager before it went out: the scheduler leaves it alone. */
    cancelledAt: tstz('cancelled_at'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('survey_waves_survey_number_key').on(t.surveyId, t.number),
    index('survey_waves_send_idx').on(t.sendAt),
    index('survey_waves_remind_idx').on(t.remindAt),
  ],
);
export type SurveyWave = typeof surveyWaves.$inferSelect;
