import type { MessageKey } from './en.js';
import { bridgeNl } from './bridge.nl.js';
import { eventsNl } from './events.nl.js';
import { rulesNl } from './rules.nl.js';
import { pollsNl } from './polls.nl.js';
import { surveysNl } from './surveys.nl.js';
import { announcementsNl } from './announcements.nl.js';
import { declarationNl } from './declaration.nl.js';
import { storiesNl } from './stories.nl.js';
import { privacyNl } from './privacy.nl.js';
import { engagementNl } from './engagement.nl.js';
import { planNl } from './plan.nl.js';
import { questionsNl } from './questions.nl.js';

/** Nederlandse chatteksten; dezelfde sleutels als en.ts. */
export const nl: Record<MessageKey, string> = {
  'help.title': 'Opdrachten voor {community}:',
  'help.help': '*hulp* — dit overzicht',
  'help.rules': '*regels* — lees de huisregels',
  'help.accept': '*akkoord* — ga akkoord met de huisregels',
  'help.profile': '*profiel* — bekijk je profiel',
  'help.profile.name': '*profiel naam* Anna de Vries — stel je naam in',
  'help.profile.organisation': '*profiel organisatie* Gemeente Utrecht — stel je organisatie in',
  'help.profile.language': '*profiel taal* en — antwoord mij in het Engels (en, nl)',
  'help.footer': 'Begin in een groep een opdracht met / of ! (bijvoorbeeld /hulp).',

  'rules.none': '{community} heeft nog geen huisregels.',
  'rules.show': 'Huisregels van {community} (versie {version}):\n\n{text}',
  'rules.askAccept': 'Stuur *akkoord* om ermee in te stemmen.',
  'rules.accepted': 'Je bent op {date} akkoord gegaan met deze versie.',

  'rules.announce.first': 'Huisregels van {community} (versie {version}):\n\n{text}\n\nStuur *akkoord* om ermee in te stemmen.',
  'rules.announce.changed': 'De huisregels van {community} zijn veranderd (versie {version}):\n\n{text}\n\nStuur *akkoord* om met de nieuwe versie in te stemmen.',
  'rules.reminder': 'Eén keer een herinnering: je bent nog niet akkoord met de huisregels van {community} (versie {version}). Stuur *regels* om ze te lezen en *akkoord* om in te stemmen.',

  'accept.done': 'Dank je wel, {name}! Je bent akkoord gegaan met versie {version} van de huisregels.',
  'accept.already': 'Je was al akkoord met versie {version} van de huisregels.',
  'accept.none': 'Er zijn nog geen huisregels om mee akkoord te gaan.',

  'profile.show':
    'Je profiel in {community}:\nNaam: {name}\nOrganisatie: {organisation}\nRol: {role}\nTaal: {language}\nHuisregels: {rules}',
  'profile.none': '—',
  'profile.rules.accepted': 'akkoord (versie {version})',
  'profile.rules.pending': 'nog niet akkoord (stuur *akkoord*)',
  'profile.rules.none': 'nog geen',
  'profile.name.set': 'Gelukt: je naam is nu {name}.',
  'profile.name.invalid': 'Een naam heeft 1 tot {max} tekens. Voorbeeld: *profiel naam* Anna de Vries',
  'profile.organisation.set': 'Gelukt: je organisatie is nu {organisation}.',
  'profile.organisation.unknown': 'Ik ken de organisatie "{name}" niet. Doen mee: {list}.',
  'profile.organisation.empty':
    'Er zijn nog geen organisaties toegevoegd aan {community}; de communitymanager voegt ze toe.',
  'profile.language.set': 'Gelukt: ik antwoord je voortaan in het Nederlands.',
  'profile.language.invalid': 'Ik spreek en (Engels) en nl (Nederlands). Voorbeeld: *profiel taal* en',
  'profile.usage':
    'Gebruik *profiel naam* <je naam>, *profiel organisatie* <organisatie> of *profiel taal* en|nl.',

  'role.member': 'lid',
  'role.ambassador': 'ambassadeur (kerngroep)',
  'role.manager': 'communitymanager',
  'language.en': 'Engels',
  'language.nl': 'Nederlands',

  'unknown.suggest': 'Ik ken "{word}" niet. Bedoel je *{suggestion}*? Stuur *hulp* voor alle opdrachten.',
  'unknown.plain': 'Ik ken "{word}" niet. Stuur *hulp* voor alle opdrachten.',
  'private.sent': '{name}, ik heb je het antwoord in een privéchat gestuurd.',
  'private.unreachable': '{name}, ik kan hier geen privéchat met je beginnen. Open een persoonlijke chat met mij en stuur daar *{command}*.',
  'direct.stranger':
    'Hallo! Ik ben de assistent van een community. Ik ken je nog niet: word lid van een van haar WhatsApp-groepen of Teams-kanalen en schrijf daar eerst.',

  'error.generic': 'Sorry, er ging bij mij iets mis. Probeer het zo nog eens.',
  'error.forbidden': 'Sorry, dat mag jij niet doen.',
  'error.not-found': 'Dat kon ik niet vinden.',
  'error.invalid': 'Dat lukte niet. Stuur *hulp* om te zien hoe de opdrachten gaan.',
  'error.conflict': 'Dat lukte niet: het botst met iets dat er al is.',
  'error.unauthorized': 'Sorry, ik weet niet wie je hier bent.',

  'help.link': '*koppel* <community-naam> — (managers) koppel een groep of kanaal aan de community',
  'link.usage':
    'Om dit gesprek aan een community te koppelen stuurt een communitymanager *koppel* <community-naam>, of stuurt iemand *koppel* <code> met een eenmalige code van de manager.',
  'link.done': 'Gelukt: dit gesprek hoort nu bij {community}. Stuur *hulp* om te zien wat ik kan.',
  'link.already': 'Dit gesprek is al gekoppeld aan {community}.',
  'link.refused':
    'Ik kan dit gesprek niet koppelen aan "{slug}": dat kan alleen een manager van die community. Vraag om een eenmalige koppelcode en stuur *koppel* <code>.',
  'link.badCode': 'Die koppelcode ken ik niet, is al gebruikt of verlopen. Vraag de communitymanager om een nieuwe.',
  'link.taken': 'Dit gesprek is al aan een community gekoppeld.',
  'link.direct': 'Koppelen gaat in een groep of kanaal: stuur daar *koppel* <community-naam>.',
  'link.defaultName.whatsapp': 'WhatsApp-groep',
  'link.defaultName.teams': 'Teams-gesprek',

  'bot.added.linked': 'Hallo {community}! Ik ben de assistent van deze community. Stuur *hulp* om te zien wat ik kan.',
  'bot.added.unlinked':
    'Hallo! Ik ben Samen, de assistent van een community of practice. Een communitymanager koppelt dit gesprek met *koppel* <community-naam> (of *koppel* <code> met een eenmalige code).',
  'welcome.joined': 'Welkom bij {community}, {names}!',
  'welcome.firstContact': 'Welkom bij {community}, {name}!',
  'welcome.purpose': 'Waar we samen aan werken: {purpose}',
  'welcome.rules': 'Onze huisregels (versie {version}):\n\n{text}\n\nStuur *akkoord* om ermee in te stemmen.',
  'welcome.help': 'Stuur *hulp* om te zien wat ik kan.',
  'welcome.others': '{count} anderen',
  'list.and': '{first} en {last}',

  'member.unnamed': 'Lid',
  raw: '{text}',
  ...eventsNl,
  ...pollsNl,
  ...surveysNl,
  ...announcementsNl,
  ...planNl,
  ...questionsNl,
  ...rulesNl,
  ...declarationNl,
  ...storiesNl,
  ...privacyNl,
  ...engagementNl,
  ...bridgeNl,
};
