import type { Logger } from 'pino';
import type { Db } from '../db/client.js';
import type { ChannelEvent, ChannelEventResult, ChannelName, ChannelPort, InboundHandler } from './channel.js';
import { acceptCommand, helpCommand, profileCommand, rulesCommand } from './commands/basic.commands.js';
import { linkCommand } from './commands/link.command.js';
import { createCommandTable, type Command } from './commands/registry.js';
import { createChannelsService } from './channels.service.js';
import { createCommunitiesService } from './communities.service.js';
import { createActivitiesService } from './events/events.service.js';
import { eventCommands } from './events/events.commands.js';
import { createChannelEventsService } from './inbound/channel-events.js';
import { createInboundService, type InboundOptions } from './inbound/inbound.service.js';
import { createLinksService } from './links.service.js';
import { createMembersService } from './members.service.js';
import { createOrganisationsService } from './organisations.service.js';
import { createDispatcher, type DispatcherOptions } from './outbox/dispatcher.js';
import { createOutboxService } from './outbox/outbox.service.js';
import { pollCommands } from './polls/polls.commands.js';
import { createPollsService } from './polls/polls.service.js';
import { createReferencesService } from './references.service.js';
import { proposalCommands } from './rules/proposals.commands.js';
import { createProposalsService } from './rules/proposals.service.js';
import { createQuestionsService, type QuestionsOptions } from './questions/questions.api.js';
import { answerByReply, questionCommands } from './questions/questions.commands.js';
import { createScheduler } from './scheduler.js';
import { createSpacesService } from './spaces.service.js';
import { surveyCommands } from './surveys/surveys.commands.js';
import { createSurveysService } from './surveys/surveys.service.js';
import { createTokensService } from './tokens.service.js';

export interface CoreOptions {
  db: Db;
  logger: Logger;
  /** The time; tests pass their own to move it. */
  clock?: () => Date;
  dispatcher?: DispatcherOptions;
  inbound?: InboundOptions;
  questions?: QuestionsOptions;
}

/** The community core: every operation, whichever door (chat or REST) it comes through. */
export function createCore({ db, logger, clock = () => new Date(), dispatcher: dispatcherOptions, inbound: inboundOptions, questions: questionsOptions }: CoreOptions) {
  const channels = new Map<ChannelName, ChannelPort>();
  const dispatcher = createDispatcher(db, channels, clock, logger.child({ component: 'dispatcher' }), dispatcherOptions);

  const commands: Command[] = [];
  commands.push(helpCommand(() => commands), rulesCommand, acceptCommand, profileCommand, linkCommand, ...eventCommands, ...pollCommands, ...proposalCommands, ...surveyCommands, ...questionCommands);
  const commandTable = createCommandTable(commands);

  const inbound = createInboundService({
    db,
    commands: commandTable,
    clock,
    logger: logger.child({ component: 'inbound' }),
    onQueued: () => dispatcher.wake(),
    options: inboundOptions,
    // What happens to ordinary messages (not commands).
    listeners: [answerByReply],
  });

  const references = createReferencesService(db, clock);
  const polls = createPollsService(db, clock, () => dispatcher.wake());
  const questions = createQuestionsService(db, clock, () => dispatcher.wake(), questionsOptions);
  const scheduler = createScheduler(
    [
      { name: 'close polls', run: polls.closeDue },
      { name: 'escalate unanswered questions', run: questions.escalateDue },
      { name: 'tell askers of answers', run: questions.notifyDue },
    ],
    logger.child({ component: 'scheduler' }),
  );
  const channelEvents = createChannelEventsService(db, clock, logger.child({ component: 'channel-events' }), () => dispatcher.wake());

  return {
    communities: createCommunitiesService(db, clock, () => dispatcher.wake()),
    organisations: createOrganisationsService(db),
    members: createMembersService(db),
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
    /** Questions to the whole community, their answers, and the knowledge base they make. */
    questions,
    /** Time-based work: closing polls whose time is up, escalating unanswered questions. */
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
