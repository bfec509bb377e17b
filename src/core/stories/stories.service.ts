import { and, asc, desc, eq, gte, lt, lte, ne, or, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { communities, members, stories, type Community, type Story, type StoryStatus } from '../../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from '../access.js';
import { conflict, invalid, notFound } from '../errors.js';
import { t } from '../i18n/index.js';
import { directAddressOf, directMessageTo } from '../outbox/direct.js';
import { enqueue } from '../outbox/outbox.service.js';
import { pageOf, type Page, type PageQuery } from '../page.js';
import { formatWhen } from '../events/format.js';
import { publishStory, STORY_MAX } from './story.js';

/** What the manager may change: approve (and schedule), reject with a reason, edit the text. */
export interface StoryPatch {
  status?: 'approved' | 'rejected';
  text?: string;
  reason?: string;
  /** When an approved story is published; null or absent on approval: at once. */
  publishAt?: string | Date | null;
}

/** A story as the manager sees it (drafts are the author's until submitted). */
export type StoryView = Omit<Story, 'step' | 'pausedAt' | 'status'> & { status: Exclude<StoryStatus, 'draft'> };

const view = ({ step: _step, pausedAt: _paused, ...story }: Story): StoryView => story as StoryView;

/** A publication on the content calendar: an approved story's date, or a published one's. */
export interface ScheduledStory {
  storyId: string;
  communityId: string;
  status: 'approved' | 'published';
  at: Date;
  number: number | null;
  /** The start of the text, to recognise it by. */
  preview: string;
}

/**
 * The story publications between `from` (inclusive) and `to` (exclusive): approved stories by
 * their `publishAt`, published ones by when they went out. For the content calendar.
 */
export async function listScheduledStories(tx: Tx, communityId: string, from: Date, to: Date): Promise<ScheduledStory[]> {
  const at = sql<Date>`coalesce(${stories.publishedAt}, ${stories.publishAt})`.mapWith(stories.publishAt);
  const rows = await tx
    .select({ story: stories, at })
    .from(stories)
    .where(
      and(
        eq(stories.communityId, communityId),
        or(
          and(eq(stories.status, 'approved'), gte(stories.publishAt, from), lt(stories.publishAt, to)),
          and(eq(stories.status, 'published'), gte(stories.publishedAt, from), lt(stories.publishedAt, to)),
        ),
      ),
    )
    .orderBy(asc(at))
    .limit(1000);
  return rows.map(({ story: s, at }) => ({
    storyId: s.id,
    communityId: s.communityId,
    status: s.status as 'approved' | 'published',
    at,
    number: s.number,
    preview: [...s.text].slice(0, 80).join(''),
  }));
}

/**
 * Publishes the approved stories whose date has come, each as the next number of its
 * community's series. The rows are claimed FOR UPDATE SKIP LOCKED and published only from
 * `approved`, and the post's idempotency key is the story's: with several instances, each story
 * goes out once. Returns how many were published.
 */
export async function publishDueStories(db: Db, now: Date): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select()
      .from(stories)
      .where(and(eq(stories.status, 'approved'), lte(stories.publishAt, now)))
      .orderBy(asc(stories.publishAt), asc(stories.submittedAt))
      .limit(50)
      .for('update', { skipLocked: true });
    for (const story of due) await publishStory(tx, story, now);
    return due.length;
  });
}

/** Failure stories through the API; `onQueued` wakes the dispatcher after a commit that queued messages. */
export function createStoriesService(db: Db, clock: () => Date, onQueued: () => void) {
  async function load(tx: Tx, actor: Actor, id: string, lock = false): Promise<Story> {
    const query = tx.select().from(stories).where(and(eq(stories.id, id), ne(stories.status, 'draft')));
    const [story] = lock ? await query.for('update') : await query;
    if (!story) throw notFound('Story');
    requireCommunity(actor, story.communityId, 'Story');
    return story;
  }

  /** Tells the author in a direct chat, in their language; nothing when they cannot be reached. */
  async function tellAuthor(tx: Tx, story: Story, community: Community, what: 'approved' | 'rejected', now: Date) {
    if (!story.authorId) return;
    const [author] = await tx.select().from(members).where(eq(members.id, story.authorId));
    const address = author && (await directAddressOf(tx, author.id));
    if (!author || !address) return;
    const language = author.language ?? story.language;
    const text =
      what === 'approved'
        ? t(language, 'stories.approved', { name: author.displayName, date: formatWhen(language, story.publishAt!, community.timezone) })
        : t(language, 'stories.rejected', { name: author.displayName, reason: story.rejectReason! });
    await enqueue(tx, [directMessageTo(address, { communityId: story.communityId, memberId: author.id }, text, `story:${story.id}:${what}:${now.toISOString()}`, now)]);
  }

  return {
    async list(actor: Actor, communityId: string, query: PageQuery & { status?: Exclude<StoryStatus, 'draft'> }): Promise<Page<StoryView>> {
      await requireExistingCommunity(db, actor, communityId);
      const filters: SQL[] = [eq(stories.communityId, communityId), query.status ? eq(stories.status, query.status) : ne(stories.status, 'draft')];
      const page = await pageOf(db, stories, and(...filters), [desc(stories.number), desc(stories.submittedAt), desc(stories.id)], query);
      return { ...page, items: page.items.map(view) };
    },

    get: async (actor: Actor, id: string): Promise<StoryView> => view(await load(db, actor, id)),

    /** Approves (and schedules), reschedules, rejects with a reason, or edits a story; the author is told of approval and rejection. */
    async update(actor: Actor, id: string, patch: StoryPatch): Promise<StoryView> {
      const { story, queued } = await db.transaction(async (tx) => {
        const now = clock();
        const story = await load(tx, actor, id, true);
        if (story.status === 'published') throw conflict('This story has been published already');
        const set: Partial<Story> = { updatedAt: now };
        if (patch.text !== undefined) {
          const text = patch.text.trim();
          if ([...text].length > STORY_MAX) throw invalid(`A story is at most ${STORY_MAX} characters`);
          set.text = text;
        }
        const status = patch.status ?? story.status;
        if (patch.status === 'rejected') {
          const reason = patch.reason?.trim();
          if (!reason) throw invalid('Say why the story is rejected: reason');
          Object.assign(set, { status: 'rejected', rejectReason: reason, reviewedAt: now, publishAt: null });
        } else if (patch.reason !== undefined) {
          throw invalid('A reason goes with status: rejected');
        }
        if (patch.status === 'approved') {
          const publishAt = patch.publishAt ? new Date(patch.publishAt) : patch.publishAt === undefined && story.status === 'approved' ? story.publishAt : now;
          Object.assign(set, { status: 'approved', publishAt, reviewedAt: now, rejectReason: null });
        } else if (patch.publishAt !== undefined && patch.status !== 'rejected') {
          if (status !== 'approved') throw invalid('Approve the story to schedule it: status "approved" with publishAt');
          set.publishAt = patch.publishAt ? new Date(patch.publishAt) : now;
        }
        const [updated] = await tx.update(stories).set(set).where(eq(stories.id, id)).returning();
        const [community] = await tx.select().from(communities).where(eq(communities.id, story.communityId));
        const told = patch.status && patch.status !== story.status ? patch.status : null;
        if (told) await tellAuthor(tx, updated!, community!, told, now);
        return { story: updated!, queued: told !== null };
      });
      if (queued) onQueued();
      return view(story);
    },

    /** Publishes the stories due now (the scheduler calls this); see publishDueStories. */
    async publishDue(): Promise<number> {
      const published = await publishDueStories(db, clock());
      if (published > 0) onQueued();
      return published;
    },

    /** See listScheduledStories. */
    async listScheduled(actor: Actor, communityId: string, from: Date, to: Date): Promise<ScheduledStory[]> {
      await requireExistingCommunity(db, actor, communityId);
      return listScheduledStories(db, communityId, from, to);
    },
  };
}

export type StoriesService = ReturnType<typeof createStoriesService>;
