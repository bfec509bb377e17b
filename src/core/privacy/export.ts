import { and, asc, eq, inArray, isNull, or } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  answers,
  bridgeMessages,
  bridgeOptOuts,
  communities,
  declarationSignatures,
  eventAttendees,
  events,
  identities,
  inboundMessages,
  organisations,
  outbox,
  pollVotes,
  polls,
  questions,
  ruleProposals,
  spaceMembers,
  spaces,
  stories,
  surveyAnswers,
  surveyParticipants,
  surveys,
  type Member,
} from '../../db/schema/index.js';
import { allDirectAddresses } from '../outbox/direct.js';

/**
 * Everything the community keeps about one member, as they (or their manager, for them) may ask
 * for it under the AVG (GDPR, article 15): their profile, how each channel knows them, where they
 * take part, and what they wrote, chose and signed. Message bodies are not kept (see
 * inbound_messages), so the messages part is when, where and which command.
 */
export async function exportMember(tx: Tx, member: Member, now: Date) {
  const id = member.id;
  const [community] = await tx.select({ id: communities.id, name: communities.name }).from(communities).where(eq(communities.id, member.communityId));
  const [organisation] = member.organisationId
    ? await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.id, member.organisationId))
    : [];
  const ids = await tx
    .select({ channel: identities.channel, externalId: identities.externalId, directAddress: identities.directAddress, createdAt: identities.createdAt })
    .from(identities)
    .where(eq(identities.memberId, id))
    .orderBy(asc(identities.createdAt));
  const addresses = allDirectAddresses(ids);

  const [inSpaces, messages, attending, votes, participations, surveyAnswerRows, asked, answered, authored, signed, proposed, bridged, optOut, sentToThem] = await Promise.all([
    tx
      .select({ space: spaces.name, channel: spaces.channel, joinedAt: spaceMembers.joinedAt, leftAt: spaceMembers.leftAt })
      .from(spaceMembers)
      .innerJoin(spaces, eq(spaces.id, spaceMembers.spaceId))
      .where(eq(spaceMembers.memberId, id))
      .orderBy(asc(spaceMembers.joinedAt)),
    tx
      .select({ receivedAt: inboundMessages.receivedAt, channel: inboundMessages.channel, space: spaces.name, command: inboundMessages.command })
      .from(inboundMessages)
      .leftJoin(spaces, eq(spaces.id, inboundMessages.spaceId))
      .where(eq(inboundMessages.memberId, id))
      .orderBy(asc(inboundMessages.receivedAt)),
    tx
      .select({ event: events.title, number: events.number, startsAt: events.startsAt, status: eventAttendees.status, signedUpAt: eventAttendees.signedUpAt, attended: eventAttendees.attended })
      .from(eventAttendees)
      .innerJoin(events, eq(events.id, eventAttendees.eventId))
      .where(eq(eventAttendees.memberId, id))
      .orderBy(asc(events.startsAt)),
    tx
      .select({ poll: polls.question, number: polls.number, options: polls.options, choices: pollVotes.choices, votedAt: pollVotes.updatedAt })
      .from(pollVotes)
      .innerJoin(polls, eq(polls.id, pollVotes.pollId))
      .where(eq(pollVotes.memberId, id))
      .orderBy(asc(polls.number)),
    tx
      .select({ surveyId: surveys.id, survey: surveys.title, questions: surveys.questions, status: surveyParticipants.status, completedAt: surveyParticipants.completedAt })
      .from(surveyParticipants)
      .innerJoin(surveys, eq(surveys.id, surveyParticipants.surveyId))
      .where(eq(surveyParticipants.memberId, id))
      .orderBy(asc(surveyParticipants.createdAt)),
    tx
      .select({ surveyId: surveyAnswers.surveyId, question: surveyAnswers.question, choices: surveyAnswers.choices, text: surveyAnswers.text, skipped: surveyAnswers.skipped, answeredAt: surveyAnswers.updatedAt })
      .from(surveyAnswers)
      .where(eq(surveyAnswers.memberId, id))
      .orderBy(asc(surveyAnswers.surveyId), asc(surveyAnswers.question)),
    tx
      .select({ number: questions.number, text: questions.text, askedAt: questions.createdAt })
      .from(questions)
      .where(eq(questions.askedById, id))
      .orderBy(asc(questions.number)),
    tx
      .select({ question: questions.number, number: answers.number, text: answers.text, answeredAt: answers.createdAt })
      .from(answers)
      .innerJoin(questions, eq(questions.id, answers.questionId))
      .where(eq(answers.memberId, id))
      .orderBy(asc(answers.createdAt)),
    tx
      .select({ status: stories.status, anonymous: stories.anonymous, text: stories.text, parts: stories.parts, number: stories.number, submittedAt: stories.submittedAt, publishedAt: stories.publishedAt })
      .from(stories)
      .where(eq(stories.authorId, id))
      .orderBy(asc(stories.createdAt)),
    tx
      .select({ version: declarationSignatures.version, organisation: organisations.name, signerName: declarationSignatures.signerName, via: declarationSignatures.via, signedAt: declarationSignatures.signedAt })
      .from(declarationSignatures)
      .innerJoin(organisations, eq(organisations.id, declarationSignatures.organisationId))
      .where(eq(declarationSignatures.memberId, id))
      .orderBy(asc(declarationSignatures.signedAt)),
    tx
      .select({ number: ruleProposals.number, text: ruleProposals.text, status: ruleProposals.status, proposedAt: ruleProposals.createdAt })
      .from(ruleProposals)
      .where(eq(ruleProposals.proposedById, id))
      .orderBy(asc(ruleProposals.number)),
    tx
      .select({ space: spaces.name, excerpt: bridgeMessages.excerpt, mediaKind: bridgeMessages.mediaKind, at: bridgeMessages.createdAt })
      .from(bridgeMessages)
      .innerJoin(spaces, eq(spaces.id, bridgeMessages.spaceId))
      .where(eq(bridgeMessages.memberId, id))
      .orderBy(asc(bridgeMessages.createdAt)),
    tx.select({ since: bridgeOptOuts.createdAt }).from(bridgeOptOuts).where(eq(bridgeOptOuts.memberId, id)),
    // What the bot wrote to them in their own chat (replies in a group are the group's).
    tx
      .select({ at: outbox.createdAt, status: outbox.status, deliveredAt: outbox.deliveredAt, payload: outbox.payload })
      .from(outbox)
      .where(
        and(
          isNull(outbox.spaceId),
          or(eq(outbox.memberId, id), addresses.length ? and(eq(outbox.communityId, member.communityId), inArray(outbox.address, addresses)) : undefined),
        ),
      )
      .orderBy(asc(outbox.seq)),
  ]);

  const surveyById = new Map(participations.map((p) => [p.surveyId, p]));
  const commands = new Map<string, number>();
  for (const m of messages) if (m.command) commands.set(m.command, (commands.get(m.command) ?? 0) + 1);

  return {
    exportedAt: now.toISOString(),
    community,
    member: {
      id: member.id,
      displayName: member.displayName,
      role: member.role,
      language: member.language,
      organisation: organisation ?? null,
      rulesAcceptedVersion: member.rulesAcceptedVersion,
      rulesAcceptedAt: member.rulesAcceptedAt,
      firstSeenAt: member.firstSeenAt,
      lastSeenAt: member.lastSeenAt,
      eraseRequestedAt: member.eraseRequestedAt,
    },
    identities: ids,
    spaces: inSpaces,
    messages: { count: messages.length, commands: Object.fromEntries(commands), items: messages },
    events: attending,
    pollVotes: votes.map(({ options, choices, ...vote }) => ({ ...vote, chosen: choices.map((c) => options[c - 1] ?? String(c)) })),
    surveys: participations.map(({ surveyId, questions: asked, ...p }) => ({
      ...p,
      answers: surveyAnswerRows
        .filter((a) => a.surveyId === surveyId)
        .map(({ surveyId: _s, ...a }) => ({ ...a, questionText: asked[a.question - 1]?.text ?? null })),
    })),
    // Answers to a survey they no longer take part in (a participation removed by the manager).
    ...(surveyAnswerRows.some((a) => !surveyById.has(a.surveyId)) && { otherSurveyAnswers: surveyAnswerRows.filter((a) => !surveyById.has(a.surveyId)) }),
    questionsAsked: asked,
    answersGiven: answered,
    stories: authored,
    declarationSignatures: signed,
    ruleProposals: proposed,
    bridgedMessages: bridged,
    bridgeOptOutSince: optOut[0]?.since ?? null,
    directMessages: sentToThem.map(({ payload, ...m }) => ({ ...m, text: payload.text })),
  };
}

export type MemberExport = Awaited<ReturnType<typeof exportMember>>;

/** How much there is of each, for the chat's short overview. */
export async function memberFigures(tx: Tx, memberId: string) {
  const [messages, signups, votes, surveyAnswerCount, asked, answered, authored] = await Promise.all([
    tx.$count(inboundMessages, eq(inboundMessages.memberId, memberId)),
    tx.$count(eventAttendees, eq(eventAttendees.memberId, memberId)),
    tx.$count(pollVotes, eq(pollVotes.memberId, memberId)),
    tx.$count(surveyAnswers, eq(surveyAnswers.memberId, memberId)),
    tx.$count(questions, eq(questions.askedById, memberId)),
    tx.$count(answers, eq(answers.memberId, memberId)),
    tx.$count(stories, eq(stories.authorId, memberId)),
  ]);
  return { messages, signups, votes, surveyAnswers: surveyAnswerCount, questions: asked, answers: answered, stories: authored };
}
