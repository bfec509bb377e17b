import type { pollsEn } from './polls.en.js';

/** Nederlandse chatteksten voor polls; dezelfde sleutels als polls.en.ts. */
export const pollsNl: Record<keyof typeof pollsEn, string> = {
  'help.polls': '*polls* — de open polls, met hun nummers',
  'help.vote': '*stem* 3 1 — stem op optie 1 in poll 3 (*stem 3 0* trekt je stem in)',
  'help.poll': '*stemming* Welke dag? | dinsdag | donderdag — (ambassadeurs, managers) vraag het de community',

  'polls.post.title': '📊 Poll {number}: {question}',
  'polls.post.how': 'Stem met *stem {number}* en de optie, bijvoorbeeld *stem {number} 1*.',
  'polls.post.howMultiple': 'Stem met *stem {number}* en de opties die je kiest, bijvoorbeeld *stem {number} 1 3*.',

  'polls.none': 'Er zijn geen open polls in {community}.',
  'polls.title': 'Open polls in {community}:',
  'polls.line': '*{number}* — {question}{closes}{mine}',
  'polls.line.closes': ' (sluit {date})',
  'polls.line.mine': ' Jouw stem: {choices}.',
  'polls.line.notVoted': ' Je hebt nog niet gestemd.',
  'polls.footer': 'Stuur *stem* <nummer> <optie> om te stemmen, *stem* <nummer> om een poll te zien.',

  'polls.usage.vote': 'Stuur *stem* met het nummer van de poll en je keuze, bijvoorbeeld *stem 3 1*. Stuur *polls* voor de open polls.',
  'polls.unknown': 'Er is geen poll {number}. Stuur *polls* voor de open polls.',
  'polls.vote.done': 'Dank je, {name}: je stem op poll {number} is {choices}. Je kunt hem wijzigen tot de poll sluit.',
  'polls.vote.cleared': 'Je stem op poll {number} is ingetrokken.',
  'polls.vote.closed': 'Poll {number} is gesloten; stemmen tellen niet meer mee.',
  'polls.vote.badChoice': 'Poll {number} heeft de opties 1 tot en met {count}. Voorbeeld: *stem {number} 1*',
  'polls.vote.oneOnly': 'Bij poll {number} kies je één optie. Voorbeeld: *stem {number} 1*',
  'polls.vote.mine': 'Jouw stem: {choices}.',

  'polls.create.usage':
    'Stel een poll zo: *stemming* Welke dag past jou? | dinsdag | donderdag (2 tot 10 opties, elk hoogstens 100 tekens).',
  'polls.create.done': 'Poll {number} staat in {spaces} groepen en kanalen.',
  'polls.create.forbidden': 'Alleen ambassadeurs en communitymanagers kunnen een poll starten of sluiten.',
  'polls.close.done': 'Poll {number} is gesloten; de uitslag staat in de groepen.',
  'polls.close.already': 'Poll {number} was al gesloten.',

  'polls.raw': '{text}',
  'polls.result.title': '📊 Uitslag van poll {number}: {question}',
  'polls.result.line': '{number}. {label} — {votes} ({share}%)',
  'polls.result.voters': '{count} gestemd.',
};
