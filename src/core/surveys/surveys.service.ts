import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import {
  communities,
  decisions,
  members,
  organisations,
  PHASES,
  surveyAnswers,
  surveyParticipants,
  surveys,
  surveyWaves,
  type Decision,
  type DecisionRule,
  type Outcome,
  type Phase,
  type RuleFigures,
  type Survey,
  type SurveyQuestion,
} from '../../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from '../access.js';
import { conflict, invalid, notFound } from '../errors.js';
import { pageOf, type Page, type PageQuery } from '../page.js';
import { announceDecision } from './decision.js';
import { audienceOf, cancelWave, makeWave, REMIND_AFTER_MAX_HOURS, waveView, type WaveInput, type WaveView } from './waves.js';

export const SURVEY_TITLE_MAX = 200;
export const SURVEY_INTRO_MAX = 1_000;
export const SURVEY_QUESTIONS_MAX = 30;
export const SURVEY_QUESTION_MAX = 500;
export const SURVEY_OPTIONS_MIN = 2;
export const SURVEY_OPTIONS_MAX = 10;
export const SURVEY_OPTION_MAX = 100;
export const SURVEY_AUDIENCE_MAX = 50;
export const DECISION_RULES_MAX = 10;

export interface SurveyInput {
  title: string;
  intro?: string;
  questions: SurveyQuestion[];
  /** Absent: the whole community. */
  audience?: { organisationIds: string[] } | null;
  anonymous?: boolean;
  decisionRule?: DecisionRule | null;
}

/** A survey as the API shows it. */
export const view = ({ organisationIds, ...survey }: Survey) => ({ ...survey, audience: organisationIds ? { organisationIds } : null });
export type SurveyView = ReturnType<typeof view>;

export interface QuestionResult {
  number: number;
  kind: SurveyQuestion['kind'];
  text: string;
  answered: number;
  skipped: number;
  /** Choice questions: per option; scale questions: per value 1–5. */
  options?: { number: number; label: string; count: number }[];
  average?: number | null;
  /** Open questions; without who when the survey is anonymous. */
  answers?: { text: string; memberId?: string; name?: string }[];
}

export interface OrganisationRate {
  organisationId: string | null;
  name: string | null;
  audience: number;
  started: number;
  completed: number;
  responseRate: number;
}

export interface SurveyResults {
  surveyId: string;
  title: string;
  anonymous: boolean;
  closed: boolean;
  waves: number;
  audience: number;
  started: number;
  completed: number;
  /** Completed / audience, 0–1. */
  responseRate: number;
  byOrganisation: OrganisationRate[];
  questions: QuestionResult[];
}


export type { RuleFigures };

export interface Evaluation {
  decisionId: string;
  surveyId: string;
  outcome: Outcome;
  phaseBefore: Phase;
  phaseAfter: Phase;
  decidedAt: Date;
  rules: RuleFigures[];
}


const round = (n: number, digits = 4) => Math.round(n * 10 ** digits) / 10 ** digits;

/** Checks and cleans what a survey is made of; throws invalid with the reason. */
async function cleanInput(tx: Tx, communityId: string, input: SurveyInput) {
  const title = input.title.trim();
  if (!title || title.length > SURVEY_TITLE_MAX) throw invalid(`The title must be 1 to ${SURVEY_TITLE_MAX} characters`);
  const intro = (input.intro ?? '').trim();
  if (intro.length > SURVEY_INTRO_MAX) throw invalid(`The intro must be at most ${SURVEY_INTRO_MAX} characters`);
  if (input.questions.length < 1 || input.questions.length > SURVEY_QUESTIONS_MAX) throw invalid(`A survey has 1 to ${SURVEY_QUESTIONS_MAX} questions`);
  const questions = input.questions.map((q, i): SurveyQuestion => {
    const where = `Question ${i + 1}`;
    const text = q.text.trim();
    if (!text || text.length > SURVEY_QUESTION_MAX) throw invalid(`${where}: the text must be 1 to ${SURVEY_QUESTION_MAX} characters`);
    const choice = q.kind === 'single' || q.kind === 'multiple';
    if (!choice) {
      if (q.options?.length) throw invalid(`${where}: a ${q.kind} question has no options`);
      return { kind: q.kind, text, optional: q.optional ?? false };
    }
    const options = (q.options ?? []).map((o) => o.trim());
    if (options.length < SURVEY_OPTIONS_MIN || options.length > SURVEY_OPTIONS_MAX) throw invalid(`${where}: a choice question has ${SURVEY_OPTIONS_MIN} to ${SURVEY_OPTIONS_MAX} options`);
    if (options.some((o) => !o || o.length > SURVEY_OPTION_MAX)) throw invalid(`${where}: each option must be 1 to ${SURVEY_OPTION_MAX} characters`);
    if (new Set(options.map((o) => o.toLocaleLowerCase())).size !== options.length) throw invalid(`${where}: the options must differ from each other`);
    return { kind: q.kind, text, options, optional: q.optional ?? false };
  });

  let organisationIds: string[] | null = null;
  if (input.audience) {
    organisationIds = [...new Set(input.audience.organisationIds)];
    if (organisationIds.length === 0) throw invalid('The audience names no organisation; leave it out for the whole community');
    const known = await tx
      .select({ id: organisations.id })
      .from(organisations)
      .where(and(eq(organisations.communityId, communityId), inArray(organisations.id, organisationIds)));
    if (known.length !== organisationIds.length) throw invalid('The audience names an organisation that is not part of this community');
  }

  const decisionRule = input.decisionRule ?? null;
  if (decisionRule) {
    if (decisionRule.rules.length < 1 || decisionRule.rules.length > DECISION_RULES_MAX) throw invalid(`A decision rule has 1 to ${DECISION_RULES_MAX} conditions`);
    decisionRule.rules.forEach((rule, i) => {
      const where = `Decision rule ${i + 1}`;
      const q = questions[rule.question - 1];
      if (!q) throw invalid(`${where}: there is no question ${rule.question}`);
      if (q.kind === 'open') throw invalid(`${where}: question ${rule.question} is open; a rule needs a choice or scale question`);
      const max = q.kind === 'scale' ? 5 : q.options!.length;
      if (rule.option < 1 || rule.option > max) throw invalid(`${where}: question ${rule.question} has options 1 to ${max}`);
      if (rule.atLeastShare === undefined && rule.atLeastCount === undefined) throw invalid(`${where}: give atLeastShare, atLeastCount or both`);
    });
  }
  return { title, intro, questions, organisationIds, anonymous: input.anonymous ?? false, decisionRule };
}

/** The counts, averages, open answers and response rates of a survey. */
export async function resultsOf(tx: Tx, survey: Survey, now: Date): Promise<SurveyResults> {
  const audience = await audienceOf(tx, survey);
  const participants = await tx.select().from(surveyParticipants).where(eq(surveyParticipants.surveyId, survey.id));
  const answers = await tx
    .select({ answer: surveyAnswers, name: members.displayName })
    .from(surveyAnswers)
    .innerJoin(members, eq(members.id, surveyAnswers.memberId))
    .where(eq(surveyAnswers.surveyId, survey.id))
    .orderBy(asc(surveyAnswers.createdAt));
  const orgNames = new Map(
    (await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.communityId, survey.communityId))).map((o) => [o.id, o.name]),
  );

  const status = new Map(participants.map((p) => [p.memberId, p]));
  const byOrg = new Map<string | null, OrganisationRate>();
  for (const m of audience) {
    const org = byOrg.get(m.organisationId) ?? { organisationId: m.organisationId, name: m.organisationId ? orgNames.get(m.organisationId)! : null, audience: 0, started: 0, completed: 0, responseRate: 0 };
    org.audience++;
    const p = status.get(m.id);
    if (p) org.started++;
    if (p?.status === 'completed') org.completed++;
    byOrg.set(m.organisationId, org);
  }
  for (const org of byOrg.values()) org.responseRate = round(org.completed / org.audience);
  const inAud = new Set(audience.map((m) => m.id));
  const started = participants.filter((p) => inAud.has(p.memberId)).length;
  const completed = participants.filter((p) => inAud.has(p.memberId) && p.status === 'completed').length;

  const questions = survey.questions.map((q, i): QuestionResult => {
    const mine = answers.filter((a) => a.answer.question === i + 1);
    const given = mine.filter((a) => !a.answer.skipped);
    const result: QuestionResult = { number: i + 1, kind: q.kind, text: q.text, answered: given.length, skipped: mine.length - given.length };
    if (q.kind === 'open') {
      const texts = given.map((a) => (survey.anonymous ? { text: a.answer.text! } : { text: a.answer.text!, memberId: a.answer.memberId, name: a.name }));
      // Anonymous: in alphabetical order, so the order says nothing about who answered when.
      result.answers = survey.anonymous ? texts.sort((a, b) => a.text.localeCompare(b.text)) : texts;
      return result;
    }
    const labels = q.kind === 'scale' ? ['1', '2', '3', '4', '5'] : q.options!;
    const counts = labels.map(() => 0);
    for (const a of given) for (const c of a.answer.choices ?? []) counts[c - 1]!++;
    result.options = labels.map((label, j) => ({ number: j + 1, label, count: counts[j]! }));
    if (q.kind === 'scale') result.average = given.length ? round(given.reduce((sum, a) => sum + a.answer.choices![0]!, 0) / given.length, 2) : null;
    return result;
  });

  return {
    surveyId: survey.id,
    title: survey.title,
    anonymous: survey.anonymous,
    closed: survey.closedAt !== null && survey.closedAt.getTime() <= now.getTime(),
    waves: survey.waves,
    audience: audience.length,
    started,
    completed,
    responseRate: audience.length ? round(completed / audience.length) : 0,
    byOrganisation: [...byOrg.values()].sort((a, b) => (a.name ?? '\uffff').localeCompare(b.name ?? '\uffff')),
    questions,
  };
}

/** Each condition of the decision rule against the results. */
export function figuresOf(rule: DecisionRule, results: SurveyResults): RuleFigures[] {
  return rule.rules.map((r) => {
    const q = results.questions[r.question - 1]!;
    const options = q.options ?? [];
    // A scale condition counts that score or higher: "at least 4 out of 5".
    const count = q.kind === 'scale' ? options.filter((o) => o.number >= r.option).reduce((s, o) => s + o.count, 0) : (options[r.option - 1]?.count ?? 0);
    const share = q.answered ? count / q.answered : 0;
    const met = (r.atLeastShare === undefined || share >= r.atLeastShare) && (r.atLeastCount === undefined || count >= r.atLeastCount);
    return { question: r.question, option: r.option, count, answered: q.answered, share: round(share), ...(r.atLeastShare !== undefined && { atLeastShare: r.atLeastShare }), ...(r.atLeastCount !== undefined && { atLeastCount: r.atLeastCount }), met };
  });
}

/** Surveys through the API; `onQueued` wakes the dispatcher after a commit that queued messages. */
export function createSurveysService(db: Db, clock: () => Date, onQueued: () => void) {
  async function load(tx: Tx, actor: Actor, id: string, lock = false): Promise<Survey> {
    const query = tx.select().from(surveys).where(eq(surveys.id, id));
    const [survey] = lock ? await query.for('update') : await query;
    if (!survey) throw notFound('Survey');
    requireCommunity(actor, survey.communityId, 'Survey');
    return survey;
  }

  return {
    async create(actor: Actor, communityId: string, input: SurveyInput): Promise<SurveyView> {
      await requireExistingCommunity(db, actor, communityId);
      const fields = await cleanInput(db, communityId, input);
      const now = clock();
      const [survey] = await db.insert(surveys).values({ communityId, ...fields, createdAt: now, updatedAt: now }).returning();
      return view(survey!);
    },

    async list(actor: Actor, communityId: string, query: PageQuery): Promise<Page<SurveyView>> {
      await requireExistingCommunity(db, actor, communityId);
      const page = await pageOf(db, surveys, eq(surveys.communityId, communityId), [desc(surveys.createdAt), desc(surveys.id)], query);
      return { ...page, items: page.items.map(view) };
    },

    get: async (actor: Actor, id: string) => view(await load(db, actor, id)),

    /**
     * A wave: the invitation, or a reminder with the question they are at, in a direct chat to
     * every audience member who has not finished; now, or at `sendAt` (the scheduler sends it).
     * With `remindAfterHours`, those it reached who have not finished are reminded once.
     */
    async wave(actor: Actor, id: string, input: WaveInput = {}): Promise<WaveView> {
      const now = clock();
      if (input.sendAt && Number.isNaN(new Date(input.sendAt).getTime())) throw invalid('sendAt is not a valid date-time');
      if (input.remindAfterHours != null && !(input.remindAfterHours > 0 && input.remindAfterHours <= REMIND_AFTER_MAX_HOURS)) {
        throw invalid(`remindAfterHours is more than 0 and at most ${REMIND_AFTER_MAX_HOURS}`);
      }
      const wave = await db.transaction(async (tx) => {
        const survey = await load(tx, actor, id, true);
        if (survey.closedAt) throw conflict('This survey is closed');
        return makeWave(tx, survey, input, now);
      });
      if (wave.sent) onQueued();
      return waveView(wave);
    },

    /** Cancels a scheduled wave before it goes out; one that went out cannot be (conflict). */
    async cancelWave(actor: Actor, id: string, waveId: string): Promise<WaveView> {
      const wave = await db.transaction(async (tx) => cancelWave(tx, await load(tx, actor, id), waveId, clock()));
      return waveView(wave);
    },

    /** A survey's waves, sent, scheduled and cancelled, in order. */
    async waves(actor: Actor, id: string, query: PageQuery): Promise<Page<WaveView>> {
      await load(db, actor, id);
      const page = await pageOf(db, surveyWaves, eq(surveyWaves.surveyId, id), [asc(surveyWaves.number)], query);
      return { ...page, items: page.items.map(waveView) };
    },

    async results(actor: Actor, id: string): Promise<SurveyResults> {
      return resultsOf(db, await load(db, actor, id), clock());
    },

    /**
     * Applies the decision rule: records a go or no-go with the figures on the community; a go
     * moves the community's phase one step forward. A survey gives one go at most.
     */
    async evaluate(actor: Actor, id: string): Promise<Evaluation> {
      const evaluation = await db.transaction(async (tx) => {
        const survey = await load(tx, actor, id, true);
        if (!survey.decisionRule) throw conflict('This survey has no decision rule');
        const [earlier] = await tx.select({ id: decisions.id }).from(decisions).where(and(eq(decisions.surveyId, survey.id), eq(decisions.outcome, 'go'))).limit(1);
        if (earlier) throw conflict('This survey already gave a go');
        const now = clock();
        const rules = figuresOf(survey.decisionRule, await resultsOf(tx, survey, now));
        const outcome: Outcome = rules.every((r) => r.met) ? 'go' : 'no-go';
        const [community] = await tx.select().from(communities).where(eq(communities.id, survey.communityId)).for('update');
        const phaseBefore = community!.phase;
        const phaseAfter = outcome === 'go' ? PHASES[Math.min(PHASES.indexOf(phaseBefore) + 1, PHASES.length - 1)]! : phaseBefore;
        if (phaseAfter !== phaseBefore) await tx.update(communities).set({ phase: phaseAfter, updatedAt: now }).where(eq(communities.id, community!.id));
        const [decision] = await tx
          .insert(decisions)
          .values({ communityId: survey.communityId, surveyId: survey.id, outcome, figures: rules, phaseBefore, phaseAfter, decidedAt: now })
          .returning();
        await announceDecision(tx, community!, survey, decision!, now);
        return { decisionId: decision!.id, surveyId: survey.id, outcome, phaseBefore, phaseAfter, decidedAt: now, rules };
      });
      onQueued();
      return evaluation;
    },

    /** The community's go/no-go decisions, newest first. */
    async decisions(actor: Actor, communityId: string, query: PageQuery): Promise<Page<Decision>> {
      await requireExistingCommunity(db, actor, communityId);
      return pageOf(db, decisions, eq(decisions.communityId, communityId), [desc(decisions.decidedAt), desc(decisions.id)], query);
    },

    async close(actor: Actor, id: string): Promise<SurveyView> {
      return db.transaction(async (tx) => {
        const survey = await load(tx, actor, id, true);
        if (survey.closedAt) throw conflict('This survey is closed already');
        const now = clock();
        const [closed] = await tx.update(surveys).set({ closedAt: now, updatedAt: now }).where(eq(surveys.id, survey.id)).returning();
        return view(closed!);
      });
    },
  };
}

export type SurveysService = ReturnType<typeof createSurveysService>;
