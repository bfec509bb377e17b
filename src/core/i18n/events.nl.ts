import type { eventsEn } from './events.en.js';

/** Dutch chat texts for activities; the same keys and placeholders as events.en.ts. */
export const eventsNl: Record<keyof typeof eventsEn, string> = {
  'help.events': '*activiteiten* — de komende activiteiten, met hun nummers',
  'help.join': '*aanmelden* 3 — meld je aan voor activiteit 3',
  'help.leave': '*afmelden* 3 — meld je af voor activiteit 3',

  'events.none': 'Er staan nu geen activiteiten gepland in {community}.',
  'events.title': 'Komende activiteiten in {community}:',
  'events.line': '*{number}* — {kind}: {title}, {when}. {places}{mine}',
  'events.places.open': '{confirmed} van {capacity} plaatsen bezet.',
  'events.places.full': 'Vol ({waiting} op de wachtlijst).',
  'events.places.unlimited': '{confirmed} aanmeldingen.',
  'events.mine.confirmed': ' Jij komt.',
  'events.mine.waiting': ' Jij staat op de wachtlijst.',
  'events.footer': 'Stuur *aanmelden* <nummer> om je aan te melden, *afmelden* <nummer> om je af te melden.',

  'events.kind.webinar': 'Webinar',
  'events.kind.meetup': 'Meet-up',
  'events.kind.intervision': 'Intervisiegroep',
  'events.kind.social': 'Uitje',

  'events.button.join': 'Aanmelden {number}',
  'events.button.leave': 'Afmelden {number}',

  'events.usage.join': 'Stuur *aanmelden* met het nummer van de activiteit, bijvoorbeeld *aanmelden 3*. Stuur *activiteiten* voor de lijst.',
  'events.usage.leave': 'Stuur *afmelden* met het nummer van de activiteit, bijvoorbeeld *afmelden 3*.',
  'events.unknown': 'Er is geen activiteit {number}. Stuur *activiteiten* voor de lijst.',
  'events.cancelled': '{title} is afgelast.',
  'events.past': '{title} is al begonnen; aanmelden kan niet meer.',
  'events.closed': 'Aanmelden voor {title} kon tot {date}.',

  'events.join.confirmed': 'Je bent aangemeld voor {title}, {when}. Tot dan!',
  'events.join.waiting': '{title} zit vol: je staat als nummer {position} op de wachtlijst. Ik laat het je weten als er een plaats vrijkomt.',
  'events.join.already': 'Je was al aangemeld voor {title}.',
  'events.join.alreadyWaiting': 'Je staat al op de wachtlijst voor {title}, als nummer {position}.',
  'events.leave.done': 'Je bent afgemeld voor {title}.',
  'events.leave.notSignedUp': 'Je was niet aangemeld voor {title}.',

  'events.promoted': 'Goed nieuws, {name}: er is een plaats vrijgekomen voor {title}, {when}. Je bent nu aangemeld. Stuur *afmelden {number}* als je niet kunt.',
  'events.announce': 'Nieuwe activiteit {number}: {kind} *{title}*, {when}.{place} Stuur *aanmelden {number}* om je aan te melden.',
  'events.reminder.attendee': 'Herinnering: *{title}* begint {when}.{place}',
  'events.reminder.space': 'Herinnering: *{title}* begint {when}.{place} {places} Stuur *aanmelden {number}* om mee te doen.',
  'events.where.location': ' Waar: {location}.',
  'events.where.online': ' Online: {url}',
  'events.moved': '*{title}* is verplaatst: het begint nu {when}.',
  'events.cancelledNotice': '*{title}* ({when}) is afgelast. Jammer!',
};
