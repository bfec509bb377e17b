import type { engagementEn } from './engagement.en.js';

/** Nederlandse teksten voor de cijfers over betrokkenheid; dezelfde sleutels als engagement.en.ts. */
export const engagementNl: Record<keyof typeof engagementEn, string> = {
  'help.figures': '*cijfers* (*cijfers* 90) — (kerngroep) wie deed mee in de laatste 30 (of 90) dagen',

  'figures.title': '📊 {community}, de laatste {days} dagen',
  'figures.members': 'Leden: {total} ({new} nieuw) · actief: {active} ({share}%)',
  'figures.organisations': 'Actief per organisatie: {list}',
  'figures.organisation': '{name} {active}/{members}',
  'figures.noOrganisation': 'geen organisatie',
  'figures.messages': 'Berichten: {total} · opdrachten: {commands}',
  'figures.activity': '{title} ({date}): {confirmed} aangemeld, {waiting} op de wachtlijst{came}',
  'figures.came': ', {attended} aanwezig',
  'figures.questions': 'Vragen: {asked} gesteld, {answered} beantwoord, {solved} opgelost · {answers} antwoorden van {answeredBy} leden',
  'figures.polls': 'Polls: {polls}, {voters} stemmers',
  'figures.stories': 'Verhalen: {submitted} ingestuurd, {published} gepubliceerd',
  'figures.declaration': 'Intentieverklaring (versie {version}): {signed} van {organisations} organisaties getekend',
  'figures.word': 'cijfers',
  'figures.none': 'geen',
  'figures.upcoming': 'Binnenkort: {title} ({date}): {confirmed} aangemeld, {waiting} op de wachtlijst',
  'figures.forbidden': 'De cijfers zijn voor de kerngroep (ambassadeurs en de communitymanager).',
  'figures.usage': 'Stuur *cijfers*, of *cijfers* 90 voor de laatste 90 dagen (1 t/m {max}).',
};
