import { and, desc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  communities,
  identities,
  members,
  organisations,
  stories,
  type Community,
  type Language,
  type Member,
  type Story,
  type StoryParts,
} from '../../db/schema/index.js';
import { t, type MessageKey } from '../i18n/index.js';
import { STOP_WORDS, type DirectConversation } from '../inbound/direct.js';
import { nextNumber } from '../numbering.js';
import { broadcast } from '../outbox/broadcast.js';

/**
 * Failure stories ("Dit ging helemaal mis bij…", seed 004): submitted in one message or told
 * step by step in a direct chat, reviewed by the manager, published as a numbered series.
 * Everything here runs inside the caller's transaction.
 */

/** The longest story, in characters: a long chat message, still read to the end. */
export const STORY_MAX = 4_000;
/** The longest answer to one question of the guided conversation. */
export const STORY_ANSWER_MAX = 1_300;
/** Typed plainly while telling a story, these ask the current question again. */
export const STORY_WORDS = ['story', 'verhaal'];
export const ANONYMOUS_WORDS = ['anonymous', 'anoniem', 'anonymously'];

/** The questions of the guided conversation: tried, went wrong, learned, then credited or not. */
const PARTS: (keyof StoryParts)[] = ['tried', 'wentWrong', 'learned'];
export const STEPS = 4;

/** The question at `step` (1–4), for a member called `name`. */
export const questionText = (language: Language, step: number, name: string) => t(language, `stories.q.${step}` as MessageKey, { name });

/** The guided parts as one text, labelled in the community's language. */
export function composeText(language: Language, parts: StoryParts): string {
  return PARTS.map((part, i) => t(language, `stories.part.${i + 1}` as MessageKey, { text: parts[part]!.trim() })).join('\n\n');
}

/** Submits a story told in one message. */
export async function submitStory(tx: Tx, community: Community, member: Member, text: string, anonymous: boolean, language: Language, now: Date): Promise<Story> {
  const [story] = await tx
    .insert(stories)
    .values({ communityId: community.id, authorId: member.id, authorName: member.displayName, anonymous, status: 'submitted', text, language, submittedAt: now, createdAt: now, updatedAt: now })
    .returning();
  return story!;
}

/** The member's newest story still waiting for review, if any. */
export async function latestSubmitted(tx: Tx, memberId: string): Promise<Story | null> {
  const [story] = await tx
    .select()
    .from(stories)
    .where(and(eq(stories.authorId, memberId), eq(stories.status, 'submitted')))
    .orderBy(desc(stories.submittedAt))
    .limit(1);
  return story ?? null;
}

/**
 * Starts the member's guided story, or resumes the draft they paused; returns the lines that
 * greet them and ask where they are.
 */
export async function openDraft(tx: Tx, community: Community, member: Member, language: Language, now: Date): Promise<string[]> {
  const [draft] = await tx
    .select()
    .from(stories)
    .where(and(eq(stories.authorId, member.id), eq(stories.status, 'draft')))
    .orderBy(desc(stories.updatedAt))
    .limit(1);
  if (draft) {
    await tx.update(stories).set({ pausedAt: null, language, updatedAt: now }).where(eq(stories.id, draft.id));
    return [t(language, 'stories.guided.resume'), '', questionText(language, draft.step!, member.displayName)];
  }
  await tx
    .insert(stories)
    .values({ communityId: community.id, authorId: member.id, authorName: member.displayName, status: 'draft', parts: {}, step: 1, language, createdAt: now, updatedAt: now });
  return [t(language, 'stories.guided.intro'), '', questionText(language, 1, member.displayName)];
}

/** A guided story in progress in a direct chat: the sender's plain messages answer its questions. */
export const storyConversation: DirectConversation = {
  name: 'story-answer',
  async find(tx, sender, now) {
    const [row] = await tx
      .select({ story: stories, member: members, communityLanguage: communities.language })
      .from(stories)
      .innerJoin(identities, eq(identities.memberId, stories.authorId))
      .innerJoin(members, eq(members.id, stories.authorId))
      .innerJoin(communities, eq(communities.id, stories.communityId))
      .where(and(sender, eq(stories.status, 'draft'), isNull(stories.pausedAt)))
      .orderBy(desc(stories.updatedAt))
      .limit(1)
      .for('update', { of: stories });
    if (!row) return null;
    return { touchedAt: row.story.updatedAt, answer: async (text) => ({ lines: await answerStep(tx, row.story, row.member, row.member.language ?? row.story.language, row.communityLanguage, text, now) }) };
  },
};

/** Takes one message as the answer to the draft's current question; returns the reply lines. */
async function answerStep(tx: Tx, story: Story, member: Member, language: Language, communityLanguage: Language, message: string, now: Date): Promise<string[]> {
  const body = message.trim();
  const word = body.toLowerCase();
  const step = story.step!;
  if (STOP_WORDS.includes(word)) {
    await tx.update(stories).set({ pausedAt: now, updatedAt: now }).where(eq(stories.id, story.id));
    return [t(language, 'stories.guided.paused')];
  }
  if (STORY_WORDS.includes(word)) return [questionText(language, step, member.displayName)];
  if (!body) return [t(language, 'stories.bad.empty')];
  if (step <= PARTS.length) {
    if ([...body].length > STORY_ANSWER_MAX) return [t(language, 'stories.bad.tooLong', { max: STORY_ANSWER_MAX })];
    const parts = { ...story.parts, [PARTS[step - 1]!]: body };
    await tx.update(stories).set({ parts, step: step + 1, updatedAt: now }).where(eq(stories.id, story.id));
    return [questionText(language, step + 1, member.displayName)];
  }
  const choice = /^[12]\.?$/.test(word) ? Number(word[0]) : ANONYMOUS_WORDS.includes(word) ? 2 : null;
  if (choice === null) return [t(language, 'stories.bad.credit')];
  const anonymous = choice === 2;
  await tx
    .update(stories)
    .set({ status: 'submitted', anonymous, text: composeText(communityLanguage, story.parts!), step: null, submittedAt: now, authorName: member.displayName, updatedAt: now })
    .where(eq(stories.id, story.id));
  return [t(language, 'stories.submitted', { name: member.displayName }), t(language, anonymous ? 'stories.submitted.anonymous' : 'stories.submitted.credited')];
}

/**
 * Publishes an approved story as the next number of the community's series, to every space:
 * credited to its author (and their organisation), or anonymous as they chose.
 */
export async function publishStory(tx: Tx, story: Story, now: Date): Promise<Story> {
  const { community, number } = await nextNumber(tx, story.communityId, stories);
  const [published] = await tx
    .update(stories)
    .set({ status: 'published', number, publishedAt: now, updatedAt: now })
    .where(and(eq(stories.id, story.id), eq(stories.status, 'approved')))
    .returning();
  if (!published) return story;
  const language = community.language;
  let author = t(language, 'stories.author.anonymous');
  if (!story.anonymous) {
    const [who] = story.authorId
      ? await tx
          .select({ name: members.displayName, organisation: organisations.name })
          .from(members)
          .leftJoin(organisations, eq(organisations.id, members.organisationId))
          .where(eq(members.id, story.authorId))
      : [];
    const name = who?.name ?? story.authorName;
    author = who?.organisation ? t(language, 'stories.author.organisation', { name, organisation: who.organisation }) : name;
  }
  await broadcast(tx, story.communityId, `story:${story.id}:publish`, { text: t(language, 'stories.published', { number, text: published.text, author }) }, now);
  return published;
}
