import { and, asc, count, desc, eq, inArray, isNotNull, isNull, notExists, sql, type SQL } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { answers, communities, questionSettings, questions, type Answer, type Community, type Question } from '../../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from '../access.js';
import { conflict, invalid, notFound } from '../errors.js';
import { pageOf, type Page, type PageQuery } from '../page.js';
import { escalateDue, notifyDue } from './questions.jobs.js';
import { markHtml, searchKnowledge, type KnowledgeHit } from './questions.search.js';
import { askQuestion, authorsOf, solveQuestion } from './questions.service.js';

export interface QuestionsOptions {
  /** Unanswered this long, a question goes to the ambassadors, unless the community set its own time; 0: never. */
  escalateAfterHours?: number;
}

export const DEFAULT_ESCALATE_AFTER_HOURS = 48;
export { ESCALATE_AFTER_HOURS_MAX } from './questions.jobs.js';

export type QuestionStatus = 'open' | 'unanswered' | 'solved';

/** A question as the API shows it: who asked (name and organisation), how many answers. */
export type QuestionView = Omit<Question, 'search' | 'askedChannel' | 'askedAddress' | 'askedMessageId' | 'notifiedThrough' | 'notifiedAt' | 'notifyDueAt' | 'updatedAt'> & {
  askedBy: string | null;
  answerCount: number;
};
export type AnswerView = Omit<Answer, 'search' | 'askerSaw' | 'updatedAt'> & { author: string; best: boolean };

function questionView(q: Question, askedBy: string | null, answerCount: number): QuestionView {
  const { search: _s, askedChannel: _c, askedAddress: _a, askedMessageId: _m, notifiedThrough: _n, notifiedAt: _na, notifyDueAt: _d, updatedAt: _u, ...rest } = q;
  return { ...rest, askedBy, answerCount };
}

/** Questions and the knowledge base through the API; `onQueued` wakes the dispatcher after a commit that queued messages. */
export function createQuestionsService(db: Db, clock: () => Date, onQueued: () => void, options: QuestionsOptions = {}) {
  const defaultHours = options.escalateAfterHours ?? DEFAULT_ESCALATE_AFTER_HOURS;

  async function load(tx: Tx, actor: Actor, id: string): Promise<{ question: Question; community: Community }> {
    const [row] = await tx.select({ question: questions, community: communities }).from(questions).innerJoin(communities, eq(communities.id, questions.communityId)).where(eq(questions.id, id));
    if (!row) throw notFound('Question');
    requireCommunity(actor, row.question.communityId, 'Question');
    return row;
  }

  /** Views of questions: the asker's attribution and the count of visible answers. */
  async function views(tx: Tx, list: Question[], language: Community['language']): Promise<QuestionView[]> {
    if (list.length === 0) return [];
    const counts = await tx
      .select({ questionId: answers.questionId, n: count() })
      .from(answers)
      .where(and(inArray(answers.questionId, list.map((q) => q.id)), eq(answers.hidden, false)))
      .groupBy(answers.questionId);
    const who = await authorsOf(tx, list.map((q) => q.askedById), language);
    return list.map((q) => questionView(q, q.askedById ? who(q.askedById) : null, counts.find((c) => c.questionId === q.id)?.n ?? 0));
  }

  async function detail(tx: Tx, question: Question, community: Community) {
    const list = await tx.select().from(answers).where(eq(answers.questionId, question.id)).orderBy(asc(answers.number));
    const who = await authorsOf(tx, list.map((a) => a.memberId), community.language);
    const [view] = await views(tx, [question], community.language);
    return {
      ...view!,
      answers: list.map(({ search: _s, askerSaw: _a, updatedAt: _u, ...a }): AnswerView => ({ ...a, author: who(a.memberId), best: a.id === question.solvedAnswerId })),
    };
  }

  async function communityOf(tx: Tx, actor: Actor, communityId: string): Promise<Community> {
    await requireExistingCommunity(tx, actor, communityId);
    const [community] = await tx.select().from(communities).where(eq(communities.id, communityId));
    return community!;
  }

  return {
    /** Asks the community in the name of the manager (no member): posted to every space. */
    async create(actor: Actor, communityId: string, input: { text: string }) {
      const created = await db.transaction(async (tx) => {
        const community = await communityOf(tx, actor, communityId);
        const { question, spaces } = await askQuestion(tx, community, { text: input.text, askedById: null, origin: null }, clock());
        return { ...(await detail(tx, question, community)), postedTo: spaces };
      });
      onQueued();
      return created;
    },

    async list(actor: Actor, communityId: string, query: PageQuery & { status?: QuestionStatus }): Promise<Page<QuestionView>> {
      const community = await communityOf(db, actor, communityId);
      const filters: SQL[] = [eq(questions.communityId, communityId)];
      if (query.status === 'solved') filters.push(isNotNull(questions.solvedAt));
      if (query.status === 'open' || query.status === 'unanswered') filters.push(isNull(questions.solvedAt));
      if (query.status === 'unanswered') {
        filters.push(notExists(db.select({ one: sql`1` }).from(answers).where(and(eq(answers.questionId, questions.id), eq(answers.hidden, false)))));
      }
      const page = await pageOf(db, questions, and(...filters), [desc(questions.number)], query);
      return { ...page, items: await views(db, page.items, community.language) };
    },

    async get(actor: Actor, id: string) {
      const { question, community } = await load(db, actor, id);
      return detail(db, question, community);
    },

    /** Marks it solved, with `answerId` as the best answer if given; every space hears of it. */
    async solve(actor: Actor, id: string, input: { answerId?: string | null }) {
      const solved = await db.transaction(async (tx) => {
        const { question, community } = await load(tx, actor, id);
        let number: number | null = null;
        if (input.answerId) {
          const [answer] = await tx.select().from(answers).where(and(eq(answers.id, input.answerId), eq(answers.questionId, question.id)));
          if (!answer) throw invalid('answerId is not an answer to this question');
          number = answer.number;
        }
        const outcome = await solveQuestion(tx, community, question, number, null, clock());
        if (outcome.kind === 'already') throw conflict('This question is solved like that already');
        if (outcome.kind === 'bad-answer') throw invalid('A hidden answer cannot be the best one');
        return detail(tx, outcome.question, community);
      });
      onQueued();
      return solved;
    },

    /** Hides a question from chat and search, or shows it again. */
    async update(actor: Actor, id: string, input: { hidden?: boolean }) {
      return db.transaction(async (tx) => {
        const { question, community } = await load(tx, actor, id);
        const [updated] = await tx.update(questions).set({ hidden: input.hidden ?? question.hidden, updatedAt: clock() }).where(eq(questions.id, id)).returning();
        return detail(tx, updated!, community);
      });
    },

    /** Hides an answer (from chat, search and notices), or shows it again; a hidden best answer stops being the best. */
    async updateAnswer(actor: Actor, id: string, input: { hidden?: boolean }) {
      return db.transaction(async (tx) => {
        const [answer] = await tx.select().from(answers).where(eq(answers.id, id));
        if (!answer) throw notFound('Answer');
        requireCommunity(actor, answer.communityId, 'Answer');
        const now = clock();
        await tx.update(answers).set({ hidden: input.hidden ?? answer.hidden, updatedAt: now }).where(eq(answers.id, id));
        if (input.hidden) await tx.update(questions).set({ solvedAnswerId: null, updatedAt: now }).where(and(eq(questions.id, answer.questionId), eq(questions.solvedAnswerId, id)));
        const { question, community } = await load(tx, actor, answer.questionId);
        return detail(tx, question, community);
      });
    },

    /** Full-text search of questions and answers; snippets as HTML with the matched words in `<mark>`. */
    async knowledge(actor: Actor, communityId: string, query: PageQuery & { q: string }): Promise<Page<KnowledgeHit>> {
      await requireExistingCommunity(db, actor, communityId);
      const page = await searchKnowledge(db, communityId, query.q, query);
      return { ...page, items: page.items.map((hit) => ({ ...hit, snippet: markHtml(hit.snippet) })) };
    },

    async settings(actor: Actor, communityId: string) {
      await requireExistingCommunity(db, actor, communityId);
      const [row] = await db.select().from(questionSettings).where(eq(questionSettings.communityId, communityId));
      return { escalateAfterHours: row?.escalateAfterHours ?? defaultHours, default: !row };
    },

    /** The community's own escalation time; null goes back to the server's default. */
    async updateSettings(actor: Actor, communityId: string, input: { escalateAfterHours: number | null }) {
      await requireExistingCommunity(db, actor, communityId);
      const hours = input.escalateAfterHours;
      if (hours === null) await db.delete(questionSettings).where(eq(questionSettings.communityId, communityId));
      else {
        const now = clock();
        await db
          .insert(questionSettings)
          .values({ communityId, escalateAfterHours: hours, createdAt: now, updatedAt: now })
          .onConflictDoUpdate({ target: questionSettings.communityId, set: { escalateAfterHours: hours, updatedAt: now } });
      }
      return { escalateAfterHours: hours ?? defaultHours, default: hours === null };
    },

    /** The scheduler's job: unanswered questions to the ambassadors, once. */
    async escalateDue(): Promise<number> {
      const n = await escalateDue(db, clock(), defaultHours);
      if (n > 0) onQueued();
      return n;
    },

    /** The scheduler's job: answers that waited for the asker's next notice. */
    async notifyDue(): Promise<number> {
      const n = await notifyDue(db, clock());
      if (n > 0) onQueued();
      return n;
    },
  };
}

export type QuestionsService = ReturnType<typeof createQuestionsService>;
