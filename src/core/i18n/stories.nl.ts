import type { storiesEn } from './stories.en.js';

/** Nederlandse teksten voor de reeks "Dit ging helemaal mis bij…"; dezelfde sleutels als stories.en.ts. */
export const storiesNl: Record<keyof typeof storiesEn, string> = {
  'help.story': '*verhaal* <je verhaal> — deel wat er misging en wat je ervan leerde (alleen *verhaal* in een privéchat: ik vraag het stap voor stap)',

  'stories.submitted': 'Dank je, {name}! De communitymanager leest je verhaal voordat het verschijnt in de reeks “Dit ging helemaal mis bij…”.',
  'stories.submitted.credited': 'Het verschijnt met je naam. Liever anoniem? Stuur nu *verhaal anoniem*.',
  'stories.submitted.anonymous': 'Het verschijnt anoniem.',
  'stories.madeAnonymous': 'Geregeld: je verhaal verschijnt anoniem.',
  'stories.tooLong': 'Een verhaal is hoogstens {max} tekens; het jouwe is {length}. Kort het wat in, of vertel het stap voor stap: stuur *verhaal* in een privéchat met mij.',
  'stories.usage': 'Stuur *verhaal* met je verhaal erachter, of alleen *verhaal* in een privéchat met mij, dan vraag ik het stap voor stap.',

  'stories.guided.intro': '📖 Dit ging helemaal mis bij… Jouw verhaal helpt anderen dezelfde valkuil te vermijden. Drie vragen; stuur _stop_ om te pauzeren, met *verhaal* ga je later verder.',
  'stories.guided.resume': 'Welkom terug bij je verhaal: hier was je gebleven.',
  'stories.q.1': '_1 van 3_ — Wat probeerde je? Waar werkte je aan?',
  'stories.q.2': '_2 van 3_ — Wat ging er mis?',
  'stories.q.3': '_3 van 3_ — Wat heb je ervan geleerd? Wat zou je anders doen?',
  'stories.q.4': 'Laatste vraag: publiceren met je naam ({name}) of anoniem? Antwoord 1 voor met mijn naam, 2 voor anoniem.',
  'stories.bad.credit': 'Antwoord 1 (met je naam) of 2 (anoniem).',
  'stories.bad.empty': 'Vertel het in een paar woorden.',
  'stories.bad.tooLong': 'Dat is wat lang: hoogstens {max} tekens per antwoord. Kun je het inkorten?',
  'stories.guided.paused': 'Gepauzeerd. Wat je al vertelde blijft bewaard; stuur *verhaal* om verder te gaan.',
  'stories.guided.group': '{name}, ik heb je de vragen voor je verhaal in een privéchat gestuurd.',
  'stories.guided.unreachable':
    '{name}, ik kan hier geen privéchat met je beginnen. Open een persoonlijke chat met mij en stuur daar *verhaal*, of stuur *verhaal* met je verhaal erachter.',

  'stories.part.1': 'Wat we probeerden: {text}',
  'stories.part.2': 'Wat er misging: {text}',
  'stories.part.3': 'Wat we leerden: {text}',

  'stories.approved': 'Goed nieuws, {name}: je verhaal is goedgekeurd en verschijnt op {date}.',
  'stories.rejected': '{name}, je verhaal wordt niet gepubliceerd. De communitymanager zegt: {reason}',

  'stories.published': '📖 Dit ging helemaal mis bij… #{number}\n\n{text}\n\n— {author}',
  'stories.author.anonymous': 'een lid dat liever anoniem blijft',
  'stories.author.organisation': '{name}, {organisation}',
};
