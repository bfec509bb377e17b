import type { rulesEn } from './rules.en.js';

/** Nederlandse chatteksten voor voorstellen voor de huisregels; dezelfde sleutels als rules.en.ts. */
export const rulesNl: Record<keyof typeof rulesEn, string> = {
  'help.propose': '*voorstel* <tekst> — (kerngroep) stel nieuwe huisregels voor',
  'help.proposals': '*voorstellen* — (kerngroep) de open voorstellen',
  'help.adopt': '*aannemen* 2 — (manager) maak voorstel 2 de huisregels',
  'help.decline': '*afwijzen* 2 — (manager) wijs voorstel 2 af',

  'proposals.forbidden': 'Huisregels voorstellen is voor de kerngroep (ambassadeurs) en communitymanagers.',
  'proposals.managersOnly': 'Alleen een communitymanager beslist over voorstellen.',
  'proposals.usage': 'Stuur *voorstel* met daarachter de hele nieuwe tekst van de huisregels (hoogstens {max} tekens).',
  'proposals.usage.decide': 'Stuur het nummer van het voorstel, bijvoorbeeld *aannemen 2*. Stuur *voorstellen* voor de open voorstellen.',
  'proposals.recorded': 'Dank je: voorstel {number} is genoteerd. De communitymanager beslist erover.',
  'proposals.none': 'Er zijn geen open voorstellen voor de huisregels.',
  'proposals.title': 'Open voorstellen voor de huisregels van {community}:',
  'proposals.line': '*{number}* (van {by}): {text}',
  'proposals.byApi': 'de communitymanager',
  'proposals.footer': 'De communitymanager beslist erover.',
  'proposals.footer.manager': 'Stuur *aannemen* <nummer> of *afwijzen* <nummer>.',
  'proposals.unknown': 'Er is geen voorstel {number}. Stuur *voorstellen* voor de open voorstellen.',
  'proposals.adopted': 'Voorstel {number} is nu versie {version} van de huisregels; alle groepen zijn op de hoogte gebracht.',
  'proposals.declined': 'Voorstel {number} is afgewezen.',
  'proposals.decided': 'Voorstel {number} was al {status}.',
  'proposals.status.open': 'open',
  'proposals.status.adopted': 'aangenomen',
  'proposals.status.declined': 'afgewezen',
};
