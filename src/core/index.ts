import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { ChannelEvent, ChannelEventResult, ChannelName, ChannelPort, InboundHandler } from './channel.js';
import { acceptCommand, helpCommand, profileCommand, rulesCommand } from './commands/basic.commands.js';
import { linkCommand } from './commands/link.command.js';
import { createCommandTable, type Command } from './commands/registry.js';
import { bridgeCommand } from './bridge/bridge.commands.js';
import { createBridgePurge, createBridgeService } from './bridge/bridge.service.js';
import { createBridgeChanges } from './bridge/changes.js';
import { createBridgeListener } from './bridge/relay.js';
import { createChannelsService } from './channels.service.js';
import { createCommunitiesService } from './communities.service.js';
import { figuresCommand } from './engagement/engagement.command.js';
import { createEngagementService } from './engagement/engagement.service.js';
import { announceCommand } from './calendar/announce.command.js';
import { createAnnouncementsService } from './calendar/announcements.service.js';
import { createCalendarService } from './calendar/calendar.service.js';
import { BUILT_IN_SOURCES } from './calendar/sources.js';
import { declarationCommands } from './declaration/declaration.commands.js';
import { createDeclarationService, type DeclarationServiceOptions } from './declaration/declaration.service.js';
import { createActivitiesService } from './events/events.service.js';
import { eventCommands } from './events/events.commands.js';
import { planCommand } from './events/plan.command.js';
import { createChannelEventsService } from './inbound/channel-events.js';
import { createInboundService, type InboundOptions } from './inbound/inbound.service.js';
import { createLinksService } from './links.service.js';
import { createMembersService } from './members.service.js';
import { createOrganisationsService } from './organisations.service.js';
import { createDispatcher, type DispatcherOptions } from './outbox/dispatcher.js';
import { createOutboxService } from './outbox/outbox.service.js';
import { pollCommands } from './polls/polls.commands.js';
import { createPollsService } from './polls/polls.service.js';
import { privacyCommand } from './privacy/privacy.command.js';
import { createPrivacyService } from './privacy/privacy.service.js';
import { createReferencesService } from './references.service.js';
import { proposalCommands } from './rules/proposals.commands.js';
import { createProposalsService } from './rules/proposals.service.js';
import { createQuestionsService, type QuestionsOptions } from './questions/questions.api.js';
import { answerByReply, questionCommands } from './questions/questions.commands.js';
import { createScheduler } from './scheduler.js';
import { createSpacesService } from './spaces.service.js';
import { storyCommands } from './stories/stories.commands.js';
import { storiesSource } from './stories/stories.calendar.js';
import { createStoriesService } from './stories/stories.service.js';
import { storyConversation } from './stories/story.js';
import { surveyConversation } from './surveys/conversation.js';
import { surveyCommands } from './surveys/surveys.commands.js';
import { createSurveysService } from './surveys/surveys.service.js';
import { createWaveJobs } from './surveys/waves.js';
import { surveyWavesSource } from './surveys/waves.calendar.js';
import { createTokensService } from './tokens.service.js';

export interface CoreOptions {
  db: Db;
  logger: Logger;
  /** The time; tests pass their own to move it. */
  clock?: () => Date;
  dispatcher?: DispatcherOptions;
  inbound?: InboundOptions;
  declaration?: DeclarationServiceOptions;
  questions?: QuestionsOptions;
  bridge?: BridgeOptions;
}

/** The community bridge's settings (BRIDGE_RETENTION_DAYS, BRIDGE_MEDIA_MAX_MB). */
export interface BridgeOptions {
  /** How long what the bridge keeps of a relayed message (to thread replies, carry edits) is kept. */
  retentionDays?: number;
  /** Largest photo or document it carries across, in bytes. */
  mediaMaxBytes?: number;
}

/** The community core: every operation, whichever door (chat or REST) it comes through. */
export function createCore({
  db,
  logger,
  clock = () => new Date(),
  dispatcher: dispatcherOptions,
  inbound: inboundOptions,
  declaration: declarationOptions,
  questions: questionsOptions,
  bridge: bridgeOptions = {},
}: CoreOptions) {
  const channels = new Map<ChannelName, ChannelPort>();
  const dispatcher = createDispatcher(db, channels, clock, logger.child({ component: 'dispatcher' }), dispatcherOptions);

  const commands: Command[] = [];
  commands.push(helpCommand(() => commands), rulesCommand, acceptCommand, profileCommand, linkCommand, ...eventCommands, planCommand, ...pollCommands, ...proposalCommands, ...surveyCommands, announceCommand, ...declarationCommands, ...storyCommands, ...questionCommands, bridgeCommand, figuresCommand(() => commands), privacyCommand);
  const commandTable = createCommandTable(commands);

  const inbound = createInboundService({
    db,
    commands: commandTable,
    clock,
    logger: logger.child({ component: 'inbound' }),
    onQueued: () => dispatcher.wake(),
    // Replies to inbound messages skip the claim: written already claimed, handed over on commit.
    handOff: dispatcher,
    options: inboundOptions,
    // What happens to ordinary messages (not commands).
    // An answer to a question first; then the bridge carries the message to the other spaces.
    listeners: [answerByReply, createBridgeListener((channel) => channels.get(channel), { mediaMaxBytes: bridgeOptions.mediaMaxBytes ?? DEFAULT_MEDIA_MAX_BYTES })],
    // Conversations in direct chats that take plain messages as answers.
    conversations: [surveyConversation, storyConversation],
  });

  const references = createReferencesService(db, clock);
  const polls = createPollsService(db, clock, () => dispatcher.wake());
  const announcements = createAnnouncementsService(db, clock, () => dispatcher.wake());
  const declaration = createDeclarationService(db, clock, () => dispatcher.wake(), declarationOptions);
  const stories = createStoriesService(db, clock, () => dispatcher.wake());
  const waveJobs = createWaveJobs(db, clock, () => dispatcher.wake());
  const questions = createQuestionsService(db, clock, () => dispatcher.wake(), questionsOptions);
  const privacy = createPrivacyService(db, clock, logger.child({ component: 'privacy' }), () => dispatcher.wake());
  // What the content calendar lists; features with planned work of their own add their source here.
  const calendar = createCalendarService(db, clock, () => dispatcher.wake(), [...BUILT_IN_SOURCES, storiesSource, surveyWavesSource]);
  const scheduler = createScheduler(
    [
      { name: 'close polls', run: polls.closeDue },
      { name: 'send scheduled announcements', run: announcements.sendDue },
      { name: 'run calendar items', run: calendar.runDue },
      { name: 'publish stories', run: stories.publishDue },
      { name: 'declaration reminders', run: declaration.remindDue },
      { name: 'send survey waves', run: waveJobs.sendDue },
      { name: 'remind survey waves', run: waveJobs.remindDue },
      { name: 'escalate unanswered questions', run: questions.escalateDue },
      { name: 'tell askers of answers', run: questions.notifyDue },
      { name: 'purge bridged messages', run: createBridgePurge(db, clock, bridgeOptions.retentionDays ?? DEFAULT_RETENTION_DAYS) },
      { name: 'erase members who asked', run: privacy.eraseRequested },
    ],
    logger.child({ component: 'scheduler' }),
  );
  const channelEvents = createChannelEventsService(db, clock, logger.child({ component: 'channel-events' }), () => dispatcher.wake(), createBridgeChanges(db, clock, (channel) => channels.get(channel), () => dispatcher.wake()));

  return {
    communities: createCommunitiesService(db, clock, () => dispatcher.wake()),
    organisations: createOrganisationsService(db, clock),
    members: createMembersService(db, clock),
    spaces: createSpacesService(db, references),
    tokens: createTokensService(db, clock),
    outbox: createOutboxService(db),
    dispatcher,
    links: createLinksService(db, clock),
    references,
    /** Activities (webinars, meetups, intervision, outings): sign-up, waiting list, reminders, calendars. */
    activities: createActivitiesService(db, clock, () => dispatcher.wake()),
    /** Polls posted to every space, one tally across channels. */
    polls,
    /** House-rule proposals by the core group, adopted or declined by the manager. */
    proposals: createProposalsService(db, clock, () => dispatcher.wake()),
    /** Surveys (needs inventory, concept test) answered in direct chats, with a go/no-go. */
    surveys: createSurveysService(db, clock, () => dispatcher.wake()),
    /** Messages to every group and channel, now or at a set time, with their delivery per space. */
    announcements,
    /** The content calendar: announcements and polls once or recurring, and what other features plan. */
    calendar,
    /** The intent declaration: versions, signatures by the representatives, reminders, the toast. */
    declaration,
    /** Failure stories ("Dit ging helemaal mis bij…"): submitted, reviewed, published as a series. */
    stories,
    /** Questions to the whole community, their answers, and the knowledge base they make. */
    questions,
    /** The community bridge: one conversation across its WhatsApp groups and Teams channels. */
    bridge: createBridgeService(db, clock),
    /** Who takes part, in figures (betrokkenheid): members, organisations, activities, questions, polls. */
    engagement: createEngagementService(db, clock),
    /** Members' own data (AVG/GDPR): everything kept about one, and erasing them. */
    privacy,
    /** Time-based work: polls, announcements, calendar items, stories, declaration reminders, survey waves, questions, the bridge's purge, erasures asked for in chat. */
    scheduler,
    /** The entry point adapters call with each message they receive. */
    receive: inbound.handle as InboundHandler,
    /** The entry point adapters call with joins, leaves and the bot being added. */
    receiveEvent: channelEvents.handle as (event: ChannelEvent) => Promise<ChannelEventResult>,
    channels: createChannelsService(channels, clock),
    /**
     * For a graceful stop, after the adapters and HTTP stopped taking messages: finishes the
     * inbound messages under way, then the sends in flight.
     */
    async drain() {
      await inbound.idle();
      await scheduler.stop();
      await dispatcher.stop();
    },
    /** Plugs a channel adapter in: its outbox rows start going out. */
    registerChannel(port: ChannelPort) {
      channels.set(port.channel, port);
      dispatcher.wake();
    },
  };
}

export type Core = ReturnType<typeof createCore>;

/** BRIDGE_RETENTION_DAYS's default. */
export const DEFAULT_RETENTION_DAYS = 30;
/** BRIDGE_MEDIA_MAX_MB's default: 5 MB. */
export const DEFAULT_MEDIA_MAX_BYTES = 5 * 1_048_576;
