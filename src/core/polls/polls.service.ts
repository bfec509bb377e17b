import { and, asc, desc, eq, isNotNull, isNull, lte, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { communities, members, organisations, pollVotes, polls, type Community, type Poll } from '../../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from '../access.js';
import { conflict, invalid, notFound } from '../errors.js';
import { t } from '../i18n/index.js';
import { broadcast } from '../outbox/broadcast.js';
import { nextNumber } from '../numbering.js';
import { pageOf, type Page, type PageQuery } from '../page.js';

export const POLL_OPTIONS_MIN = 2;
export const POLL_OPTIONS_MAX = 10;
export const POLL_QUESTION_MAX = 255;
/** WhatsApp's limit on a poll option's text. */
export const POLL_OPTION_MAX = 100;

export interface PollInput {
  question: string;
  options: string[];
  multiple?: boolean;
  anonymous?: boolean;
  closesAt?: string | Date | null;
}

export interface PollResults {
  pollId: string;
  number: number;
  question: string;
  closed: boolean;
  /** Members who voted. */
  voters: number;
  options: { number: number; label: string; votes: number }[];
  /** Per organisation (null: members without one); absent for an anonymous poll. */
  byOrganisation?: { organisationId: string | null; name: string | null; voters: number; votes: number[] }[];
}

/** The command a vote runs: `vote 3` + the chosen numbers. English, as buttons are not read. */
const voteCommand = (poll: Poll) => `vote ${poll.number}`;

/** The poll as text, for channels that show nothing richer, and as a native poll where they can. */
export function pollPayload(poll: Poll, language: Community['language']) {
  const lines = [
    t(language, 'polls.post.title', { number: poll.number, question: poll.question }),
    ...poll.options.map((label, i) => `${i + 1}. ${label}`),
    t(language, poll.multiple ? 'polls.post.howMultiple' : 'polls.post.how', { number: poll.number }),
  ];
  return {
    text: lines.join('\n'),
    poll: {
      question: poll.question,
      options: poll.options.map((label, i) => ({ label, command: `${voteCommand(poll)} ${i + 1}` })),
      multiple: poll.multiple,
      command: voteCommand(poll),
    },
  };
}

/** Checks and cleans what a poll is made of; throws invalid with the reason. */
export function cleanInput(input: PollInput, now: Date) {
  const question = input.question.trim();
  const options = input.options.map((o) => o.trim());
  if (!question || question.length > POLL_QUESTION_MAX) throw invalid(`The question must be 1 to ${POLL_QUESTION_MAX} characters`);
  if (options.length < POLL_OPTIONS_MIN || options.length > POLL_OPTIONS_MAX) throw invalid(`A poll has ${POLL_OPTIONS_MIN} to ${POLL_OPTIONS_MAX} options`);
  if (options.some((o) => !o || o.length > POLL_OPTION_MAX)) throw invalid(`Each option must be 1 to ${POLL_OPTION_MAX} characters`);
  if (new Set(options.map((o) => o.toLocaleLowerCase())).size !== options.length) throw invalid('The options must differ from each other');
  const closesAt = input.closesAt ? new Date(input.closesAt) : null;
  if (closesAt && closesAt.getTime() <= now.getTime()) throw invalid('closesAt must be in the future');
  return { question, options, multiple: input.multiple ?? false, anonymous: input.anonymous ?? false, closesAt };
}

/** Creates a poll and posts it to every space of the community, in one transaction. */
export async function createPoll(tx: Tx, community: Community, input: PollInput, now: Date, createdById: string | null = null) {
  const fields = cleanInput(input, now);
  const { number } = await nextNumber(tx, community.id, polls);
  const [poll] = await tx
    .insert(polls)
    .values({ communityId: community.id, number, ...fields, createdById, createdAt: now, updatedAt: now })
    .returning();
  const spaces = await broadcast(tx, community.id, `poll:${poll!.id}:post`, pollPayload(poll!, community.language), now);
  return { poll: poll!, spaces };
}

/** A community's poll by its chat number. */
export async function pollByNumber(tx: Tx, communityId: string, number: number): Promise<Poll | null> {
  const [poll] = await tx.select().from(polls).where(and(eq(polls.communityId, communityId), eq(polls.number, number)));
  return poll ?? null;
}

export type VoteOutcome = { kind: 'voted'; choices: number[] } | { kind: 'cleared' } | { kind: 'closed' } | { kind: 'bad-choice'; count: number } | { kind: 'one-only' };

/** Records a member's vote, replacing an earlier one; `[]` takes it back. */
export async function castVote(tx: Tx, poll: Poll, memberId: string, choices: number[], now: Date): Promise<VoteOutcome> {
  if (isClosed(poll, now)) return { kind: 'closed' };
  const unique = [...new Set(choices)].sort((a, b) => a - b);
  if (unique.some((c) => !Number.isInteger(c) || c < 1 || c > poll.options.length)) return { kind: 'bad-choice', count: poll.options.length };
  if (!poll.multiple && unique.length > 1) return { kind: 'one-only' };
  if (unique.length === 0) {
    await tx.delete(pollVotes).where(and(eq(pollVotes.pollId, poll.id), eq(pollVotes.memberId, memberId)));
    return { kind: 'cleared' };
  }
  await tx
    .insert(pollVotes)
    .values({ pollId: poll.id, memberId, choices: unique, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: [pollVotes.pollId, pollVotes.memberId], set: { choices: unique, updatedAt: now } });
  return { kind: 'voted', choices: unique };
}

export const isClosed = (poll: Poll, now: Date) => poll.closedAt !== null || (poll.closesAt !== null && poll.closesAt.getTime() <= now.getTime());

/** The tally: one across channels, and per organisation unless the poll is anonymous. */
export async function tally(tx: Tx, poll: Poll, now: Date): Promise<PollResults> {
  const votes = await tx
    .select({ choices: pollVotes.choices, organisationId: members.organisationId, organisation: organisations.name })
    .from(pollVotes)
    .innerJoin(members, eq(members.id, pollVotes.memberId))
    .leftJoin(organisations, eq(organisations.id, members.organisationId))
    .where(eq(pollVotes.pollId, poll.id));
  const totals = poll.options.map(() => 0);
  const byOrg = new Map<string | null, { organisationId: string | null; name: string | null; voters: number; votes: number[] }>();
  for (const vote of votes) {
    const org = byOrg.get(vote.organisationId) ?? { organisationId: vote.organisationId, name: vote.organisation, voters: 0, votes: poll.options.map(() => 0) };
    org.voters++;
    for (const choice of vote.choices) {
      totals[choice - 1]!++;
      org.votes[choice - 1]!++;
    }
    byOrg.set(vote.organisationId, org);
  }
  return {
    pollId: poll.id,
    number: poll.number,
    question: poll.question,
    closed: isClosed(poll, now),
    voters: votes.length,
    options: poll.options.map((label, i) => ({ number: i + 1, label, votes: totals[i]! })),
    ...(poll.anonymous ? {} : { byOrganisation: [...byOrg.values()].sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff')) }),
  };
}

/** The result as a chat message. */
export function resultText(results: PollResults, language: Community['language']): string {
  const lines = [t(language, 'polls.result.title', { number: results.number, question: results.question })];
  for (const option of results.options) {
    const share = results.voters ? Math.round((option.votes / results.voters) * 100) : 0;
    lines.push(t(language, 'polls.result.line', { number: option.number, label: option.label, votes: option.votes, share }));
  }
  lines.push(t(language, 'polls.result.voters', { count: results.voters }));
  return lines.join('\n');
}

/** Closes a poll (if still open) and posts its result to every space. */
export async function closePoll(tx: Tx, poll: Poll, now: Date): Promise<Poll> {
  const [closed] = await tx
    .update(polls)
    .set({ closedAt: poll.closesAt && poll.closesAt.getTime() <= now.getTime() ? poll.closesAt : now, updatedAt: now })
    .where(and(eq(polls.id, poll.id), isNull(polls.closedAt)))
    .returning();
  if (!closed) return poll;
  const [community] = await tx.select().from(communities).where(eq(communities.id, poll.communityId));
  await broadcast(tx, poll.communityId, `poll:${poll.id}:result`, { text: resultText(await tally(tx, closed, now), community!.language) }, now);
  return closed;
}

/** Polls through the API; `onQueued` wakes the dispatcher after a commit that queued messages. */
export function createPollsService(db: Db, clock: () => Date, onQueued: () => void) {
  async function load(tx: Tx, actor: Actor, id: string): Promise<Poll> {
    const [poll] = await tx.select().from(polls).where(eq(polls.id, id));
    if (!poll) throw notFound('Poll');
    requireCommunity(actor, poll.communityId, 'Poll');
    return poll;
  }

  return {
    async create(actor: Actor, communityId: string, input: PollInput) {
      await requireExistingCommunity(db, actor, communityId);
      const created = await db.transaction(async (tx) => {
        const [community] = await tx.select().from(communities).where(eq(communities.id, communityId));
        const { poll, spaces } = await createPoll(tx, community!, input, clock());
        return { ...poll, postedTo: spaces };
      });
      onQueued();
      return created;
    },

    async list(actor: Actor, communityId: string, query: PageQuery & { open?: boolean }): Promise<Page<Poll>> {
      await requireExistingCommunity(db, actor, communityId);
      const filters: SQL[] = [eq(polls.communityId, communityId)];
      if (query.open === true) filters.push(isNull(polls.closedAt));
      if (query.open === false) filters.push(isNotNull(polls.closedAt));
      return pageOf(db, polls, and(...filters), [desc(polls.number)], query);
    },

    get: (actor: Actor, id: string) => load(db, actor, id),

    async results(actor: Actor, id: string): Promise<PollResults> {
      const poll = await load(db, actor, id);
      return tally(db, poll, clock());
    },

    async close(actor: Actor, id: string): Promise<Poll> {
      const closed = await db.transaction(async (tx) => {
        const poll = await load(tx, actor, id);
        if (poll.closedAt) throw conflict('This poll is closed already');
        return closePoll(tx, poll, clock());
      });
      onQueued();
      return closed;
    },

    /** Closes the polls whose time is up and posts their results (the scheduler calls this). */
    async closeDue(): Promise<number> {
      const now = clock();
      const closed = await db.transaction(async (tx) => {
        const due = await tx
          .select()
          .from(polls)
          .where(and(isNull(polls.closedAt), lte(polls.closesAt, now)))
          .orderBy(asc(polls.closesAt))
          .limit(100)
          .for('update', { skipLocked: true });
        for (const poll of due) await closePoll(tx, poll, now);
        return due.length;
      });
      if (closed > 0) onQueued();
      return closed;
    },
  };
}

export type PollsService = ReturnType<typeof createPollsService>;
