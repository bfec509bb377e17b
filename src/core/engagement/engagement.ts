import { and, asc, count, countDistinct, eq, gte, isNotNull, lt, notLike, sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  answers,
  communities,
  declarations,
  eventAttendees,
  events,
  identities,
  inboundMessages,
  members,
  organisations,
  pollVotes,
  polls,
  questions,
  stories,
  surveyParticipants,
  surveys,
} from '../../db/schema/index.js';

/** A window of time: from (inclusive) to (exclusive). */
export interface Window {
  from: Date;
  to: Date;
}

/** Counts by a key, as an object: `{ whatsapp: 3, teams: 2 }`. */
const byKey = (rows: { key: string | null; n: number }[]): Record<string, number> =>
  Object.fromEntries(rows.filter((r) => r.key !== null).map((r) => [r.key, Number(r.n)]));

/**
 * Who takes part, in figures (betrokkenheid): the counts the seeds' authors made by hand — how many
 * members, from which organisation, how many wrote, asked, answered, voted, signed up and came —
 * over a window of time. Members are counted as they are now; what they did, within the window.
 * "Active" means they wrote anything the bot saw (a command or, where the bot sees them, an
 * ordinary message) in the window.
 */
export async function engagementFigures(tx: Tx, communityId: string, window: Window) {
  const inWindow = (column: Parameters<typeof gte>[0]) => and(gte(column, window.from), lt(column, window.to));
  // Raw SQL below gets the window as text: postgres.js takes no Date where no column names the type.
  const from = sql`${window.from.toISOString()}::timestamptz`;
  const to = sql`${window.to.toISOString()}::timestamptz`;
  // Members' messages: joins, leaves and the bot being added are recorded alongside as `event:…`.
  const received = and(eq(inboundMessages.communityId, communityId), inWindow(inboundMessages.receivedAt), notLike(inboundMessages.externalId, 'event:%'));
  // Who wrote in the window, found through the community's index (not every community's rows).
  const activeIds = tx.selectDistinct({ memberId: inboundMessages.memberId }).from(inboundMessages).where(received).as('active_ids');

  const [
    [memberTotals],
    roles,
    channels,
    [messageTotals],
    commands,
    orgRows,
    eventRows,
    pollRows,
    [questionTotals],
    [answerTotals],
    surveyRows,
    storyRows,
    [declaration],
  ] = await Promise.all([
    tx
      .select({
        total: count(),
        new: sql<number>`count(*) filter (where ${members.firstSeenAt} >= ${from} and ${members.firstSeenAt} < ${to})`.mapWith(Number),
        rulesAccepted: sql<number>`count(*) filter (where ${members.rulesAcceptedVersion} = (select ${communities.rulesVersion} from ${communities} where ${communities.id} = ${communityId}))`.mapWith(Number),
      })
      .from(members)
      .where(eq(members.communityId, communityId)),
    tx.select({ key: members.role, n: count() }).from(members).where(eq(members.communityId, communityId)).groupBy(members.role),
    tx
      .select({ key: identities.channel, n: countDistinct(identities.memberId) })
      .from(identities)
      .where(eq(identities.communityId, communityId))
      .groupBy(identities.channel),
    tx
      .select({ total: count(), activeMembers: countDistinct(inboundMessages.memberId) })
      .from(inboundMessages)
      .where(received),
    tx
      .select({ key: inboundMessages.command, n: count() })
      .from(inboundMessages)
      .where(and(received, isNotNull(inboundMessages.command)))
      .groupBy(inboundMessages.command),
    // Per organisation (and those without one): members now, and who of them was active.
    tx
      .select({
        id: organisations.id,
        name: organisations.name,
        members: countDistinct(members.id),
        active: countDistinct(activeIds.memberId),
      })
      .from(members)
      .leftJoin(organisations, eq(organisations.id, members.organisationId))
      .leftJoin(activeIds, eq(activeIds.memberId, members.id))
      .where(eq(members.communityId, communityId))
      .groupBy(organisations.id, organisations.name)
      .orderBy(asc(organisations.name)),
    // Activities that take place in the window: signed up, waiting, came.
    tx
      .select({
        id: events.id,
        number: events.number,
        title: events.title,
        startsAt: events.startsAt,
        capacity: events.capacity,
        cancelled: sql<boolean>`${events.cancelledAt} is not null`,
        confirmed: sql<number>`count(${eventAttendees.memberId}) filter (where ${eventAttendees.status} = 'confirmed')`.mapWith(Number),
        waiting: sql<number>`count(${eventAttendees.memberId}) filter (where ${eventAttendees.status} = 'waiting')`.mapWith(Number),
        attended: sql<number>`count(${eventAttendees.memberId}) filter (where ${eventAttendees.attended})`.mapWith(Number),
        attendanceRecorded: sql<boolean>`bool_or(${eventAttendees.attended} is not null)`,
      })
      .from(events)
      .leftJoin(eventAttendees, eq(eventAttendees.eventId, events.id))
      .where(and(eq(events.communityId, communityId), inWindow(events.startsAt)))
      .groupBy(events.id)
      .orderBy(asc(events.startsAt)),
    // Polls asked in the window, with how many voted.
    tx
      .select({ number: polls.number, question: polls.question, closed: sql<boolean>`${polls.closedAt} is not null`, voters: count(pollVotes.memberId) })
      .from(polls)
      .leftJoin(pollVotes, eq(pollVotes.pollId, polls.id))
      .where(and(eq(polls.communityId, communityId), inWindow(polls.createdAt)))
      .groupBy(polls.id)
      .orderBy(asc(polls.number)),
    tx
      .select({
        asked: count(),
        // Written out: drizzle leaves a one-table select's columns unqualified, and inside the
        // subquery an unqualified id would be the answer's.
        answered: sql<number>`count(*) filter (where exists (select 1 from answers where answers.question_id = questions.id))`.mapWith(Number),
        solved: sql<number>`count(*) filter (where ${questions.solvedAt} is not null)`.mapWith(Number),
      })
      .from(questions)
      .where(and(eq(questions.communityId, communityId), inWindow(questions.createdAt))),
    tx
      .select({ given: count(), by: countDistinct(answers.memberId) })
      .from(answers)
      .where(and(eq(answers.communityId, communityId), inWindow(answers.createdAt))),
    // Surveys with activity in the window: invited (took part at all) and completed.
    tx
      .select({
        title: surveys.title,
        closed: sql<boolean>`${surveys.closedAt} is not null`,
        participants: count(surveyParticipants.memberId),
        completed: sql<number>`count(${surveyParticipants.memberId}) filter (where ${surveyParticipants.status} = 'completed')`.mapWith(Number),
      })
      .from(surveys)
      .leftJoin(surveyParticipants, eq(surveyParticipants.surveyId, surveys.id))
      .where(and(eq(surveys.communityId, communityId), sql`(${surveys.closedAt} is null or ${surveys.closedAt} >= ${from}) and ${surveys.createdAt} < ${to}`))
      .groupBy(surveys.id)
      .orderBy(asc(surveys.createdAt)),
    tx
      .select({
        submitted: sql<number>`count(*) filter (where ${stories.submittedAt} >= ${from} and ${stories.submittedAt} < ${to})`.mapWith(Number),
        published: sql<number>`count(*) filter (where ${stories.publishedAt} >= ${from} and ${stories.publishedAt} < ${to})`.mapWith(Number),
      })
      .from(stories)
      .where(eq(stories.communityId, communityId)),
    tx
      .select({
        version: declarations.version,
        signed: sql<number>`(select count(*) from declaration_signatures s where s.community_id = declarations.community_id and s.version = declarations.version)`.mapWith(Number),
        organisations: sql<number>`(select count(*) from organisations o where o.community_id = declarations.community_id)`.mapWith(Number),
      })
      .from(declarations)
      .where(eq(declarations.communityId, communityId)),
  ]);

  const total = memberTotals?.total ?? 0;
  const active = messageTotals?.activeMembers ?? 0;
  return {
    from: window.from,
    to: window.to,
    members: {
      total,
      new: memberTotals?.new ?? 0,
      active,
      /** Of all members now, the share that was active in the window (0–1). */
      activeShare: total ? Math.round((active / total) * 1000) / 1000 : 0,
      rulesAccepted: memberTotals?.rulesAccepted ?? 0,
      byRole: byKey(roles),
      byChannel: byKey(channels),
    },
    organisations: orgRows.map((o) => ({ id: o.id, name: o.name, members: Number(o.members), active: Number(o.active) })),
    messages: { total: messageTotals?.total ?? 0, commands: byKey(commands) },
    activities: eventRows.map((e) => ({ ...e, attended: e.attendanceRecorded ? e.attended : null, attendanceRecorded: undefined })),
    polls: pollRows.map((p) => ({ ...p, voters: Number(p.voters) })),
    questions: { asked: questionTotals?.asked ?? 0, answered: questionTotals?.answered ?? 0, solved: questionTotals?.solved ?? 0, answers: answerTotals?.given ?? 0, answeredBy: Number(answerTotals?.by ?? 0) },
    surveys: surveyRows.map((s) => ({ ...s, participants: Number(s.participants) })),
    stories: storyRows[0] ?? { submitted: 0, published: 0 },
    declaration: declaration ?? null,
  };
}

export type EngagementFigures = Awaited<ReturnType<typeof engagementFigures>>;
