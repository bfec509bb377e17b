/** Nederlandse chatteksten voor peilingen; in nl.ts gespreid. surveys.en.ts heeft dezelfde sleutels. */
export const surveysNl = {
  'help.survey': '*peiling* — beantwoord de open peiling in een privégesprek met mij (stoppen en later verdergaan kan altijd)',

  'surveys.intro': '📋 {title}',
  'surveys.resume': 'Welkom terug bij “{title}”: hier was je gebleven.',
  'surveys.reminder': 'Een herinnering: je hebt “{title}” nog niet afgemaakt. Hier was je gebleven.',
  'surveys.question': '*Vraag {number} van {count}:* {text}',
  'surveys.option': '{number}. {label}',
  'surveys.how.single': 'Antwoord met het nummer van je keuze.',
  'surveys.how.multiple': 'Antwoord met de nummers van je keuzes, bijvoorbeeld _1 3_.',
  'surveys.how.scale': 'Antwoord met een getal van 1 (helemaal niet) tot 5 (heel erg).',
  'surveys.how.open': 'Antwoord in je eigen woorden.',
  'surveys.how.skip': 'Stuur _overslaan_ om deze vraag over te slaan.',
  'surveys.how.stop': 'Stuur _stop_ om te pauzeren; met *peiling* ga je later verder.',

  'surveys.bad.single': 'Antwoord met één nummer van 1 tot en met {count}.',
  'surveys.bad.multiple': 'Antwoord met nummers van 1 tot en met {count}, bijvoorbeeld _1 3_.',
  'surveys.bad.scale': 'Antwoord met een getal van 1 tot en met 5.',
  'surveys.bad.open': 'Antwoord in een paar woorden.',
  'surveys.bad.required': 'Deze vraag kun je niet overslaan.',

  'surveys.done': 'Dank je wel! Je antwoorden op “{title}” zijn bewaard.',
  'surveys.paused': 'Gepauzeerd. Je antwoorden tot nu toe zijn bewaard; stuur *peiling* om verder te gaan met vraag {number}.',
  'surveys.closed': 'De peiling “{title}” is gesloten; er worden geen antwoorden meer aangenomen.',
  'surveys.none': 'Er staat nu geen open peiling voor je klaar in {community}.',
  'surveys.allDone': 'Je hebt alle open peilingen in {community} beantwoord. Dank je wel!',
  'surveys.group.continue': '{name}, ik heb je de peiling in een privégesprek gestuurd.',
  'surveys.group.unreachable': '{name}, ik kan hier geen privégesprek met je beginnen. Open een persoonlijk gesprek met mij en stuur daar *peiling*.',
} as const;
