import { bridgeEn } from './bridge.en.js';
import { eventsEn } from './events.en.js';
import { rulesEn } from './rules.en.js';
import { pollsEn } from './polls.en.js';
import { surveysEn } from './surveys.en.js';
import { announcementsEn } from './announcements.en.js';
import { declarationEn } from './declaration.en.js';
import { storiesEn } from './stories.en.js';
import { privacyEn } from './privacy.en.js';
import { engagementEn } from './engagement.en.js';
import { planEn } from './plan.en.js';
import { questionsEn } from './questions.en.js';

/** English chat texts. `{name}` placeholders are filled in by t(); nl.ts has the same keys. */
export const en = {
  'help.title': 'Commands for {community}:',
  'help.help': '*help* — this list',
  'help.rules': '*rules* — read the house rules',
  'help.accept': '*accept* — accept the house rules',
  'help.profile': '*profile* — see your profile',
  'help.profile.name': '*profile name* Anna de Vries — set your name',
  'help.profile.organisation': '*profile organisation* Gemeente Utrecht — set your organisation',
  'help.profile.language': '*profile language* nl — answer me in Dutch (en, nl)',
  'help.footer': 'In a group, start a command with / or ! (for example /help).',

  'rules.none': '{community} has no house rules yet.',
  'rules.show': 'House rules of {community} (version {version}):\n\n{text}',
  'rules.askAccept': 'Send *accept* to agree to them.',
  'rules.accepted': 'You accepted this version on {date}.',

  'rules.announce.first': 'House rules for {community} (version {version}):\n\n{text}\n\nSend *accept* to agree to them.',
  'rules.announce.changed': 'The house rules of {community} have changed (version {version}):\n\n{text}\n\nSend *accept* to agree to the new version.',
  'rules.reminder': 'A reminder, once: you have not accepted the house rules of {community} yet (version {version}). Send *rules* to read them and *accept* to agree.',

  'accept.done': 'Thank you, {name}! You accepted version {version} of the house rules.',
  'accept.already': 'You already accepted version {version} of the house rules.',
  'accept.none': 'There are no house rules to accept yet.',

  'profile.show':
    'Your profile in {community}:\nName: {name}\nOrganisation: {organisation}\nRole: {role}\nLanguage: {language}\nHouse rules: {rules}',
  'profile.none': '—',
  'profile.rules.accepted': 'accepted (version {version})',
  'profile.rules.pending': 'not accepted yet (send *accept*)',
  'profile.rules.none': 'none yet',
  'profile.name.set': 'Done: your name is now {name}.',
  'profile.name.invalid': 'A name is 1 to {max} characters. Example: *profile name* Anna de Vries',
  'profile.organisation.set': 'Done: your organisation is now {organisation}.',
  'profile.organisation.unknown': 'I do not know the organisation "{name}". Taking part: {list}.',
  'profile.organisation.empty':
    'No organisations have been added to {community} yet; the community manager adds them.',
  'profile.language.set': 'Done: I will answer you in English.',
  'profile.language.invalid': 'I speak en (English) and nl (Dutch). Example: *profile language* nl',
  'profile.usage':
    'Use *profile name* <your name>, *profile organisation* <organisation> or *profile language* en|nl.',

  'role.member': 'member',
  'role.ambassador': 'ambassador (core group)',
  'role.manager': 'community manager',
  'language.en': 'English',
  'language.nl': 'Dutch',

  'unknown.suggest': 'I do not know "{word}". Did you mean *{suggestion}*? Send *help* for all commands.',
  'unknown.plain': 'I do not know "{word}". Send *help* for all commands.',
  'private.sent': '{name}, I have sent you the answer in a direct chat.',
  'private.unreachable': '{name}, I cannot start a direct chat with you here. Open a personal chat with me and send *{command}* there.',
  'direct.stranger':
    'Hello! I am the assistant of a community. I do not know you yet: join one of its WhatsApp groups or Teams channels and write there first.',

  'error.generic': 'Sorry, something went wrong on my side. Please try again in a moment.',
  'error.forbidden': 'Sorry, you are not allowed to do that.',
  'error.not-found': 'I could not find that.',
  'error.invalid': 'That did not work. Send *help* to see how the commands go.',
  'error.conflict': 'That did not work: it clashes with something that is already there.',
  'error.unauthorized': 'Sorry, I do not know who you are here.',

  'help.link': '*link* <community-slug> — (managers) link a group or channel to the community',
  'link.usage':
    'To link this conversation to a community, a community manager sends *link* <community-slug>, or anyone sends *link* <code> with a one-time code from the manager.',
  'link.done': 'Done: this conversation is now part of {community}. Send *help* to see what I can do.',
  'link.already': 'This conversation is already linked to {community}.',
  'link.refused':
    'I cannot link this conversation to "{slug}": only a manager of that community can. Ask them for a one-time link code and send *link* <code>.',
  'link.badCode': 'That link code is unknown, used or expired. Ask the community manager for a new one.',
  'link.taken': 'This conversation is already linked to a community.',
  'link.direct': 'Linking works in a group or channel: send *link* <community-slug> there.',
  'link.defaultName.whatsapp': 'WhatsApp group',
  'link.defaultName.teams': 'Teams conversation',

  'bot.added.linked': 'Hello {community}! I am the assistant of this community. Send *help* to see what I can do.',
  'bot.added.unlinked':
    'Hello! I am Samen, the assistant of a community of practice. A community manager links this conversation with *link* <community-slug> (or *link* <code> with a one-time code).',
  'welcome.joined': 'Welcome to {community}, {names}!',
  'welcome.firstContact': 'Welcome to {community}, {name}!',
  'welcome.purpose': 'What we work on together: {purpose}',
  'welcome.rules': 'Our house rules (version {version}):\n\n{text}\n\nSend *accept* to agree to them.',
  'welcome.help': 'Send *help* to see what I can do.',
  'welcome.others': '{count} others',
  'list.and': '{first} and {last}',

  'member.unnamed': 'Member',
  raw: '{text}',
  ...eventsEn,
  ...pollsEn,
  ...surveysEn,
  ...announcementsEn,
  ...planEn,
  ...questionsEn,
  ...rulesEn,
  ...declarationEn,
  ...storiesEn,
  ...privacyEn,
  ...engagementEn,
  ...bridgeEn,
} as const;

export type MessageKey = keyof typeof en;
