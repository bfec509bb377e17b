import type { bridgeEn } from './bridge.en.js';

/** Nederlandse chatteksten voor de brug tussen groepen; dezelfde sleutels als bridge.en.ts. */
export const bridgeNl: Record<keyof typeof bridgeEn, string> = {
  'help.bridge': '*brug* — is deze groep verbonden met de andere? *brug mij uit* houdt jouw berichten hier, *brug mij aan* deelt ze weer',
  'help.bridge.manager': '*brug aan*, *brug uit*, *brug pauze* — (manager) verbind de groepen en kanalen van de community tot één gesprek',

  'bridge.status.on': 'De brug staat aan: gewone berichten van hier verschijnen ook in {spaces}.',
  'bridge.status.pairs': 'De brug staat aan voor gekozen paren: berichten van hier verschijnen ook in {spaces}.',
  'bridge.status.alone': 'De brug staat aan, maar deze groep is met geen andere verbonden.',
  'bridge.status.off': 'De brug staat uit: berichten blijven in de groep waar ze geschreven zijn.',
  'bridge.status.paused': 'De communitymanager heeft de brug gepauzeerd: berichten blijven voorlopig waar ze geschreven zijn.',
  'bridge.status.optedOut': 'Jouw berichten blijven in je eigen groep (stuur *brug mij aan* om ze weer te delen).',
  'bridge.status.optedIn': 'Jouw berichten worden gedeeld (stuur *brug mij uit* om ze in je eigen groep te houden).',

  'bridge.on': 'De brug staat aan: gewone berichten gaan nu over tussen {count} groepen en kanalen. Opdrachten en mijn antwoorden blijven waar ze zijn.',
  'bridge.off': 'De brug staat uit: berichten blijven in de groep waar ze geschreven zijn.',
  'bridge.paused': 'De brug is gepauzeerd: er gaat niets over tot een manager *brug aan* stuurt.',
  'bridge.already.on': 'De brug stond al aan.',
  'bridge.already.off': 'De brug stond al uit.',
  'bridge.already.paused': 'De brug was al gepauzeerd.',
  'bridge.pause.off': 'De brug staat uit; er valt niets te pauzeren. Stuur *brug aan* om hem aan te zetten.',
  'bridge.forbidden': 'Alleen een communitymanager zet de brug aan, uit of op pauze. Wil je jouw eigen berichten in deze groep houden, stuur dan *brug mij uit*.',
  'bridge.me.off': 'Klaar, {name}: jouw berichten blijven in de groep waar je ze schrijft. Stuur *brug mij aan* om ze weer te delen.',
  'bridge.me.on': 'Klaar, {name}: jouw berichten gaan weer over naar de andere groepen en kanalen (zolang de brug aan staat).',
  'bridge.usage': 'Stuur *brug* om te zien hoe het staat, *brug mij uit* of *brug mij aan* voor je eigen berichten; een manager stuurt *brug aan*, *brug uit* of *brug pauze*.',

  'bridge.relay': '*{name}*: {text}',
  'bridge.relay.org': '*{name} ({organisation})*: {text}',
  'bridge.quote': '↪ "{text}"',
  'bridge.media.photo': '[foto van {name} — open hem in {channel}]',
  'bridge.media.document': '[document van {name} — open het in {channel}]',
  'bridge.media.video': '[video van {name} — open hem in {channel}]',
  'bridge.media.audio': '[spraakbericht van {name} — open het in {channel}]',
  'bridge.media.other': '[bijlage van {name} — open hem in {channel}]',
  'bridge.deleted': '[{name} heeft dit bericht verwijderd]',
  'bridge.channel.whatsapp': 'WhatsApp',
  'bridge.channel.teams': 'Teams',
};
