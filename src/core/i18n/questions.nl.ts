import type { questionsEn } from './questions.en.js';

/** Nederlandse chatteksten voor vragen en de kennisbank; zelfde sleutels als questions.en.ts. */
export const questionsNl: Record<keyof typeof questionsEn, string> = {
  'help.ask': '*vraag* <je vraag> — stel de hele community een vraag (*vraag* 3 toont vraag 3 met de antwoorden)',
  'help.answer': '*antwoord* 3 <je antwoord> — beantwoord vraag 3, of reageer gewoon op de vraag',
  'help.questions': '*vragen* — de open vragen',
  'help.solved': '*opgelost* 3 2 — (wie vroeg, managers) antwoord 2 loste vraag 3 op',
  'help.search': '*zoek* <woorden> — vind eerdere vragen en antwoorden terug',

  'questions.post': '❓ Vraag {number} van {who}:\n{text}\n\nAntwoord met *antwoord {number}* <je antwoord>, of reageer op dit bericht.',
  'questions.asked': 'Je vraag heeft nummer {number} en staat in de groepen en kanalen van de community ({spaces}). Je hoort hier wanneer er antwoorden zijn.',
  'questions.ask.usage': 'Stel de community een vraag zo: *vraag* Hoe vinden jullie vrijwilligers in de wijk? (hoogstens {max} tekens)',
  'questions.unknown': 'Er is geen vraag {number}. Stuur *vragen* voor de open vragen.',

  'questions.answer.usage': 'Antwoord zo: *antwoord* 3 <je antwoord>. Stuur *vragen* voor de open vragen.',
  'questions.answer.done': 'Dank je, {name}: antwoord {answer} op vraag {number} is genoteerd.',

  'questions.notify.one': '💬 Een nieuw antwoord op je vraag {number} ({question}):',
  'questions.notify.many': '💬 {count} nieuwe antwoorden op je vraag {number} ({question}):',
  'questions.notify.line': '{answer}. {who}: {text}',
  'questions.notify.footer': 'Heeft een antwoord je geholpen? Stuur *opgelost {number}* met het nummer van het antwoord.',

  'questions.solve.usage': 'Markeer een vraag als opgelost zo: *opgelost* 3, of *opgelost* 3 2 als antwoord 2 het deed.',
  'questions.solve.forbidden': 'Alleen wie vraag {number} stelde, of een communitymanager, kan hem als opgelost markeren.',
  'questions.solve.badAnswer': 'Vraag {number} heeft geen antwoord {answer}.',
  'questions.solve.done': 'Vraag {number} staat op opgelost; de groepen horen het.',
  'questions.solve.already': 'Vraag {number} stond al zo op opgelost.',
  'questions.solved.post': '✅ Vraag {number} is opgelost: {question}',
  'questions.solved.best': 'Beste antwoord, van {who}:\n{text}',

  'questions.escalate':
    '🙋 Vraag {number} van {who} heeft al {hours} uur geen antwoord:\n{text}\n\nKun jij hem beantwoorden, of iemand vragen die het weet? Stuur *antwoord {number}* <je antwoord>, of reageer op dit bericht.',

  'questions.show': 'Vraag {number} van {who}{solved}:\n{text}',
  'questions.show.solved': ' (opgelost)',
  'questions.show.answer': '{answer}. {who}{best}: {text}',
  'questions.show.best': ' ✅',
  'questions.show.none': 'Nog geen antwoorden. Stuur *antwoord {number}* <je antwoord>.',

  'questions.list.none': 'Er zijn geen open vragen in {community}. Stuur *vraag* <je vraag> om er een te stellen.',
  'questions.list.title': 'Open vragen in {community}:',
  'questions.list.line': '{number}. {text} (antwoorden: {answers})',
  'questions.list.footer': 'Stuur *vraag* <nummer> om er een te lezen, *antwoord* <nummer> <je antwoord> om te antwoorden.',

  'search.usage': 'Zoek in eerdere vragen en antwoorden zo: *zoek* vrijwilligers',
  'search.none': 'Niets gevonden voor "{query}". Vraag het de community: *vraag* <je vraag>.',
  'search.title': 'Gevonden voor "{query}" ({total}):',
  'search.line': '{number}. {solved}{snippet}',
  'search.solved': '✅ ',
  'search.more': '… en nog {more}. Stuur *vraag* <nummer> om een vraag met de antwoorden te lezen.',
  'search.footer': 'Stuur *vraag* <nummer> om een vraag met de antwoorden te lezen.',
};
