/** English chat texts for polls; spread into en.ts. polls.nl.ts has the same keys. */
export const pollsEn = {
  'help.polls': '*polls* — the open polls, with their numbers',
  'help.vote': '*vote* 3 1 — vote for option 1 in poll 3 (*vote 3 0* takes it back)',
  'help.poll': '*poll* Which day? | Tuesday | Thursday — (ambassadors, managers) ask the community',

  'polls.post.title': '📊 Poll {number}: {question}',
  'polls.post.how': 'Vote with *vote {number}* and the option, for example *vote {number} 1*.',
  'polls.post.howMultiple': 'Vote with *vote {number}* and the options you choose, for example *vote {number} 1 3*.',

  'polls.none': 'There are no open polls in {community}.',
  'polls.title': 'Open polls in {community}:',
  'polls.line': '*{number}* — {question}{closes}{mine}',
  'polls.line.closes': ' (closes {date})',
  'polls.line.mine': ' You voted: {choices}.',
  'polls.line.notVoted': ' You have not voted yet.',
  'polls.footer': 'Send *vote* <number> <option> to vote, *vote* <number> to see a poll.',

  'polls.usage.vote': 'Send *vote* with the poll number and your choice, for example *vote 3 1*. Send *polls* for the open ones.',
  'polls.unknown': 'There is no poll {number}. Send *polls* for the open ones.',
  'polls.vote.done': 'Thanks, {name}: your vote on poll {number} is {choices}. You can change it until the poll closes.',
  'polls.vote.cleared': 'Your vote on poll {number} is taken back.',
  'polls.vote.closed': 'Poll {number} is closed; votes are no longer counted.',
  'polls.vote.badChoice': 'Poll {number} has options 1 to {count}. Example: *vote {number} 1*',
  'polls.vote.oneOnly': 'Poll {number} takes one option. Example: *vote {number} 1*',
  'polls.vote.mine': 'Your vote: {choices}.',

  'polls.create.usage':
    'Ask a poll like this: *poll* Which day suits you? | Tuesday | Thursday (2 to 10 options, each at most 100 characters).',
  'polls.create.done': 'Poll {number} is posted in {spaces} groups and channels.',
  'polls.create.forbidden': 'Only ambassadors and community managers can start or close a poll.',
  'polls.close.done': 'Poll {number} is closed; the result is posted.',
  'polls.close.already': 'Poll {number} was already closed.',

  'polls.raw': '{text}',
  'polls.result.title': '📊 Result of poll {number}: {question}',
  'polls.result.line': '{number}. {label} — {votes} ({share}%)',
  'polls.result.voters': '{count} voted.',
} as const;
