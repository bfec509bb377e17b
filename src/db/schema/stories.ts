import { sql } from 'drizzle-orm';
import { boolean, index, integer, jsonb, pgTable, text, uniqueIndex, uuid } from 'drizzle-orm/pg-core';
import { communities, type Language } from './communities.js';
import { members } from './members.js';
import { id, timestamps, tstz } from './columns.js';

/**
 * draft: being told in a guided direct chat; submitted: waiting for the manager; approved: to be
 * published at `publishAt`; published: posted as number `number` of the series; rejected.
 */
export const STORY_STATUSES = ['draft', 'submitted', 'approved', 'rejected', 'published'] as const;
export type StoryStatus = (typeof STORY_STATUSES)[number];

/** The answers of the guided conversation: what did you try, what went wrong, what did you learn. */
export interface StoryParts {
  tried?: string;
  wentWrong?: string;
  learned?: string;
}

/** A failure story ("Dit ging helemaal mis bij…", seed 004), from submission to publication. */
export const stories = pgTable(
  'stories',
  {
    id: id(),
    communityId: uuid('community_id')
      .notNull()
      .references(() => communities.id, { onDelete: 'cascade' }),
    /** Null once the author was removed; the story stays, credited to `authorName`. */
    authorId: uuid('author_id').references(() => members.id, { onDelete: 'set null' }),
    /** The author's name when they submitted it. */
    authorName: text('author_name').notNull(),
    /** The author chose not to be named when it is published. */
    anonymous: boolean('anonymous').notNull().default(false),
    status: text('status').$type<StoryStatus>().notNull(),
    /** The story as it will be published (the manager may edit it); empty while a draft. */
    text: text('text').notNull().default(''),
    /** The guided conversation's answers; null for a story sent in one message. */
    parts: jsonb('parts').$type<StoryParts | null>(),
    /** The guided conversation: the question the author is at (1–4); null when not a draft. */
    step: integer('step'),
    /** A draft's conversation was paused (`stop`); `story` resumes it. */
    pausedAt: tstz('paused_at'),
    /** The language the author was asked in (their answers are in it). */
    language: text('language').$type<Language>().notNull(),
    submittedAt: tstz('submitted_at'),
    reviewedAt: tstz('reviewed_at'),
    rejectReason: text('reject_reason'),
    /** When an approved story is published. */
    publishAt: tstz('publish_at'),
    publishedAt: tstz('published_at'),
    /** Its number in the community's series (#3), given when it is published. */
    number: integer('number'),
    ...timestamps,
  },
  (t) => [
    uniqueIndex('stories_community_number_key').on(t.communityId, t.number),
    index('stories_community_status_idx').on(t.communityId, t.status, t.createdAt),
    index('stories_author_idx').on(t.authorId),
    // The scheduler looks for approved stories whose date has come.
    index('stories_due_idx').on(t.publishAt).where(sql`status = 'approved'`),
  ],
);
export type Story = typeof stories.$inferSelect;
