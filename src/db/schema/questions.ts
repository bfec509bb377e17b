import { sql } from 'drizzle-orm';
import { boolean, customType, index, integer, pgTable, text, uniqueIndex, uuid, type AnyPgColumn } from 'drizzle-orm/pg-core';
import { communities, type Language } from './communities.js';
import { members } from './members.js';
import { spaces, type ChannelName } from './spaces.js';
import { id, timestamps, tstz } from './columns.js';

/** PostgreSQL's text-search document type; drizzle has no built-in for it. */
const tsvector = customType<{ data: string }>({ dataType: () => 'tsvector' });

/**
 * The searchable form of a row's text, in the language it was written for: 'dutch' stems
 * "vrijwilligers" to "vrijwilliger", 'english' "volunteers" to "volunt". A generated column
 * must be immutable, so the configuration is a constant per branch, not `language::regconfig`.
 */
const searchable = sql.raw(
  `case when language = 'en' then to_tsvector('english'::regconfig, text) else to_tsvector('dutch'::regconfig, text) end`,
);

/** A question a member asked the whole community (sparren), numbered per community. */
export const questions = pgTable(
  'questions',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    /** A short number per community for chat (`answer 3 …`); never reused. */
    number: integer('number').notNull(),
    text: text('text').notNull(),
    /** The community's language when it was asked: the text-search configuration it is indexed with. */
    language: text('language').$type<Language>().notNull(),
    /** Null when asked through the API, or the member was erased. */
    askedById: uuid('asked_by_id').references(() => members.id, { onDelete: 'set null' }),
    /** The group or channel it was asked in; null for a direct chat or the API. */
    spaceId: uuid('space_id').references(() => spaces.id, { onDelete: 'set null' }),
    /** Where the asker hears of new answers: the conversation (or thread) they asked in. */
    askedChannel: text('asked_channel').$type<ChannelName>(),
    askedAddress: text('asked_address'),
    /** The platform id of the member's own `ask` message: a quoted reply to it is an answer too. */
    askedMessageId: text('asked_message_id'),
    solvedAt: tstz('solved_at'),
    solvedAnswerId: uuid('solved_answer_id').references((): AnyPgColumn => answers.id, { onDelete: 'set null' }),
    /** Brought to the ambassadors because nobody answered in time; once. */
    escalatedAt: tstz('escalated_at'),
    /** The asker has been told of the answers up to this number. */
    notifiedThrough: integer('notified_through').notNull().default(0),
    notifiedAt: tstz('notified_at'),
    /** Answers came while the asker was told a moment ago: they get them together then. */
    notifyDueAt: tstz('notify_due_at'),
    /** Hidden by a manager: not listed in chat, not found by search. */
    hidden: boolean('hidden').notNull().default(false),
    search: tsvector('search').notNull().generatedAlwaysAs(searchable),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('questions_community_number_key').on(t.communityId, t.number),
    index('questions_search_idx').using('gin', t.search),
    // The scheduler looks for questions still waiting for an answer.
    index('questions_waiting_idx').on(t.createdAt).where(sql`escalated_at is null and solved_at is null`),
    index('questions_asked_message_idx').on(t.askedChannel, t.askedMessageId),
    // A member's questions: their export, their erasure.
    index('questions_asked_by_idx').on(t.askedById),
    index('questions_notify_due_idx').on(t.notifyDueAt).where(sql`notify_due_at is not null`),
  ],
);
export type Question = typeof questions.$inferSelect;

/** An answer to a question, typed (`answer 3 …`) or as a reply to the question's post. */
export const answers = pgTable(
  'answers',
  {
    id: id(),
    questionId: uuid('question_id')
      .notNull()
      .references(() => questions.id, { onDelete: 'cascade' }),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    /** 1, 2, … per question: `solved 3 2` names answer 2. */
    number: integer('number').notNull(),
    text: text('text').notNull(),
    language: text('language').$type<Language>().notNull(),
    memberId: uuid('member_id').references(() => members.id, { onDelete: 'set null' }),
    /** The group or channel it was given in; null for a direct chat. */
    spaceId: uuid('space_id').references(() => spaces.id, { onDelete: 'set null' }),
    /** How it came: `command` (answer N …) or `reply` (a quoted reply, a thread reply). */
    via: text('via').$type<'command' | 'reply'>().notNull(),
    /** Given by the asker, or in the conversation they asked in: they saw it, no notice needed. */
    askerSaw: boolean('asker_saw').notNull().default(false),
    hidden: boolean('hidden').notNull().default(false),
    search: tsvector('search').notNull().generatedAlwaysAs(searchable),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('answers_question_number_key').on(t.questionId, t.number),
    index('answers_member_idx').on(t.memberId),
    index('answers_search_idx').using('gin', t.search),
    index('answers_community_idx').on(t.communityId),
  ],
);
export type Answer = typeof answers.$inferSelect;

/** A community's own settings for questions; without a row the server's defaults hold. */
export const questionSettings = pgTable('question_settings', {
  communityId: uuid('community_id')
    .primaryKey()
    .references(() => communities.id, { onDelete: 'cascade' }),
  /** Unanswered this long, a question goes to the ambassadors; 0: never. */
  escalateAfterHours: integer('escalate_after_hours').notNull(),
  ...timestamps,
});
export type QuestionSettings = typeof questionSettings.$inferSelect;
