/** English texts for the engagement figures; engagement.nl.ts has the same keys. */
export const engagementEn = {
  'help.figures': '*figures* (*figures* 90) — (core group) who took part in the last 30 (or 90) days',

  'figures.title': '📊 {community}, the last {days} days',
  'figures.members': 'Members: {total} ({new} new) · active: {active} ({share}%)',
  'figures.organisations': 'Active per organisation: {list}',
  'figures.organisation': '{name} {active}/{members}',
  'figures.noOrganisation': 'no organisation',
  'figures.messages': 'Messages: {total} · commands: {commands}',
  'figures.activity': '{title} ({date}): {confirmed} signed up, {waiting} waiting{came}',
  'figures.came': ', {attended} came',
  'figures.questions': 'Questions: {asked} asked, {answered} answered, {solved} solved · {answers} answers by {answeredBy} members',
  'figures.polls': 'Polls: {polls}, {voters} voters',
  'figures.stories': 'Stories: {submitted} submitted, {published} published',
  'figures.declaration': 'Declaration (version {version}): {signed} of {organisations} organisations signed',
  'figures.word': 'figures',
  'figures.none': 'none',
  'figures.upcoming': 'Coming up: {title} ({date}): {confirmed} signed up, {waiting} waiting',
  'figures.forbidden': 'The figures are for the core group (ambassadors and the community manager).',
  'figures.usage': 'Send *figures*, or *figures* 90 for the last 90 days (1 to {max}).',
} as const;
