import { boolean, index, integer, jsonb, pgTable, primaryKey, text, uuid } from 'drizzle-orm/pg-core';
import { communities, type Phase } from './communities.js';
import { members } from './members.js';
import { id, timestamps, tstz } from './columns.js';

export const QUESTION_KINDS = ['single', 'multiple', 'scale', 'open'] as const;
export type QuestionKind = (typeof QUESTION_KINDS)[number];

/** One question of a survey; `options` for the choice kinds only. */
export interface SurveyQuestion {
  kind: QuestionKind;
  text: string;
  options?: string[];
  /** The member may answer `skip` (`overslaan`). */
  optional?: boolean;
}

/**
 * One condition of a go/no-go: at least a share of those who answered `question` (1-based), or
 * at least a number of them, chose `option` (for a scale question: gave `option` or higher).
 */
export interface DecisionRuleItem {
  question: number;
  option: number;
  atLeastShare?: number;
  atLeastCount?: number;
}
export interface DecisionRule {
  rules: DecisionRuleItem[];
}

/** A condition of the rule against the answers: how many chose the option, of how many. */
export interface RuleFigures {
  question: number;
  option: number;
  count: number;
  answered: number;
  share: number;
  atLeastShare?: number;
  atLeastCount?: number;
  met: boolean;
}

/** A questionnaire (needs inventory, concept test) members answer in a direct chat with the bot. */
export const surveys = pgTable(
  'surveys',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    title: text('title').notNull(),
    intro: text('intro').notNull().default(''),
    questions: jsonb('questions').$type<SurveyQuestion[]>().notNull(),
    /** Null: the whole community; else members of these organisations. */
    organisationIds: jsonb('organisation_ids').$type<string[] | null>(),
    /** Results never say who answered what. */
    anonymous: boolean('anonymous').notNull().default(false),
    decisionRule: jsonb('decision_rule').$type<DecisionRule | null>(),
    /** Waves sent so far. */
    waves: integer('waves').notNull().default(0),
    closedAt: tstz('closed_at'),
    ...timestamps,
  },
  (t) => [index('surveys_community_idx').on(t.communityId, t.createdAt)],
);
export type Survey = typeof surveys.$inferSelect;

export const PARTICIPATION_STATUSES = ['active', 'paused', 'completed'] as const;
export type ParticipationStatus = (typeof PARTICIPATION_STATUSES)[number];

/**
 * Where a member is in a survey. At most one of a member's rows is `active`: the survey whose
 * question the bot asked last, which their plain direct messages answer.
 */
export const surveyParticipants = pgTable(
  'survey_participants',
  {
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    status: text('status').$type<ParticipationStatus>().notNull().default('active'),
    /** The question (1-based) asked now or next. */
    nextQuestion: integer('next_question').notNull().default(1),
    /** The last wave that invited or reminded them. */
    lastWave: integer('last_wave'),
    completedAt: tstz('completed_at'),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.memberId] }), index('survey_participants_member_idx').on(t.memberId, t.status)],
);
export type SurveyParticipant = typeof surveyParticipants.$inferSelect;

/** One answer, stored as it comes; answering a question again replaces it. */
export const surveyAnswers = pgTable(
  'survey_answers',
  {
    surveyId: uuid('survey_id')
      .notNull()
      .references(() => surveys.id, { onDelete: 'cascade' }),
    memberId: uuid('member_id')
      .notNull()
      .references(() => members.id, { onDelete: 'cascade' }),
    /** 1-based. */
    question: integer('question').notNull(),
    /** Chosen options (1-based), or the scale value as one element. */
    choices: jsonb('choices').$type<number[]>(),
    text: text('text'),
    skipped: boolean('skipped').notNull().default(false),
    ...timestamps,
  },
  (t) => [primaryKey({ columns: [t.surveyId, t.memberId, t.question] })],
);
export type SurveyAnswer = typeof surveyAnswers.$inferSelect;

export const OUTCOMES = ['go', 'no-go'] as const;
export type Outcome = (typeof OUTCOMES)[number];

/** A go/no-go recorded on a community from a survey's decision rule, with the figures. */
export const decisions = pgTable(
  'decisions',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    surveyId: uuid('survey_id').references(() => surveys.id, { onDelete: 'set null' }),
    outcome: text('outcome').$type<Outcome>().notNull(),
    figures: jsonb('figures').$type<RuleFigures[]>().notNull(),
    phaseBefore: text('phase_before').$type<Phase>().notNull(),
    phaseAfter: text('phase_after').$type<Phase>().notNull(),
    decidedAt: tstz('decided_at').notNull(),
  },
  (t) => [index('decisions_community_idx').on(t.communityId, t.decidedAt)],
);
export type Decision = typeof decisions.$inferSelect;
