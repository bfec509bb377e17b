import type { declarationEn } from './declaration.en.js';

/** Nederlandse teksten voor de intentieverklaring; dezelfde sleutels als declaration.en.ts. */
export const declarationNl: Record<keyof typeof declarationEn, string> = {
  'help.declaration': '*verklaring* — lees de intentieverklaring en zie welke organisaties hem ondertekenden',
  'help.sign': '*teken* — (vertegenwoordigers in de stuurgroep) onderteken de intentieverklaring voor je organisatie',

  'declaration.none': '{community} heeft nog geen intentieverklaring.',
  'declaration.show': '📜 Intentieverklaring van {community} (versie {version}):\n\n{text}',
  'declaration.status': 'Ondertekend door {signed} van de {total} organisaties:',
  'declaration.line.signed': '✅ {organisation} — {name}, {date}',
  'declaration.line.unsigned': '⬜ {organisation}',
  'declaration.howSign': 'Vertegenwoordigers ondertekenen met *teken*.',

  'declaration.published.first':
    '📜 De intentieverklaring van {community} (versie {version}):\n\n{text}\n\nDe vertegenwoordigers van de deelnemende organisaties in de stuurgroep wordt gevraagd hem te ondertekenen: stuur *teken*.',
  'declaration.published.changed':
    '📜 De intentieverklaring van {community} is gewijzigd (versie {version}); handtekeningen onder eerdere versies tellen daarvoor niet:\n\n{text}\n\nDe vertegenwoordigers in de stuurgroep wordt gevraagd opnieuw te ondertekenen: stuur *teken*.',
  'declaration.ask':
    '{name}, versie {version} van de intentieverklaring van {community} ligt klaar om te ondertekenen namens {organisation}. Stuur *verklaring* om hem te lezen en *teken* om te ondertekenen.',
  'declaration.reminder':
    'Een herinnering, {name}: {organisation} heeft versie {version} van de intentieverklaring van {community} nog niet ondertekend. Stuur *verklaring* om hem te lezen en *teken* om te ondertekenen.',

  'declaration.sign.done': 'Dank je, {name}: je ondertekende versie {version} van de intentieverklaring namens {organisation}.',
  'declaration.sign.already': '{organisation} heeft versie {version} van de intentieverklaring al ondertekend ({signer}, {date}).',
  'declaration.sign.count': '{signed} van de {total} organisaties hebben ondertekend.',
  'declaration.sign.refused': 'Alleen de vertegenwoordigers in de stuurgroep ondertekenen de intentieverklaring, elk namens de eigen organisatie: {list}.',
  'declaration.sign.refusedNone':
    'Alleen de vertegenwoordigers in de stuurgroep ondertekenen de intentieverklaring, en die zijn nog niet aangewezen: dat doet de communitymanager.',
  'declaration.button.sign': 'Ondertekenen',
  'declaration.sign.representative': '{name} ({organisation})',

  'declaration.toast':
    '🥂 Alle deelnemende organisaties hebben de intentieverklaring van {community} ondertekend: {organisations}. Tijd voor een gezamenlijke toast: op de start van een inspirerende community!',

  'declaration.print.title': 'Intentieverklaring',
  'declaration.print.version': 'Versie {version}, {date}',
  'declaration.print.signatures': 'Handtekeningen',
  'declaration.print.organisation': 'Organisatie',
  'declaration.print.name': 'Naam',
  'declaration.print.date': 'Datum',
  'declaration.print.signature': 'Handtekening',
  'declaration.print.signedDigitally': 'ondertekend via {via} op {date}',
  'declaration.print.via.chat': 'de chat',
  'declaration.print.via.api': 'het register',
};
