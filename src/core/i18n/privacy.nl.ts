import type { privacyEn } from './privacy.en.js';

/** Nederlandse teksten voor de eigen gegevens van leden (AVG). */
export const privacyNl: Record<keyof typeof privacyEn, string> = {
  'help.privacy': '*privacy* — wat de community van je bewaart, en hoe je het laat wissen',

  'privacy.overview':
    'Wat {community} van je bewaart, {name}:\n' +
    'Bekend op: {channels}\nOrganisatie: {organisation}\nRol: {role}\nLid sinds: {since}\n' +
    'Berichten van je die ik zag: {messages} (ik bewaar wanneer, en welke opdracht; nooit wat een gewoon bericht zei)\n' +
    'Aanmeldingen: {signups} · stemmen: {votes} · antwoorden op peilingen: {surveyAnswers}\n' +
    'Vragen gesteld: {questions} · antwoorden gegeven: {answers} · verhalen: {stories} (die teksten worden bewaard)',
  'privacy.export': 'De communitymanager kan je dit allemaal in één bestand sturen.',
  'privacy.howForget': 'Wil je dat alles over jou in {community} gewist wordt? Stuur *privacy vergeet*.',
  'privacy.forget.confirm':
    'Hiermee word je gewist uit {community}: je naam, je nummer of Teams-account, je aanmeldingen, stemmen en antwoorden op peilingen, en je nog niet gepubliceerde verhalen. ' +
    'Je gepubliceerde verhalen, vragen en antwoorden blijven staan, zonder je naam; een intentieverklaring die je voor je organisatie tekende blijft getekend. ' +
    'Berichten die al in de WhatsApp-groepen of Teams-kanalen staan blijven daar, en schrijf je weer in een groep, dan ben je weer lid.\n' +
    'Zeker weten? Stuur *privacy vergeet ja*.',
  'privacy.forget.yes': 'Ja, vergeet mij',
  'privacy.forget.done':
    'Begrepen, {name}. Binnen een minuut is alles over jou in {community} gewist. Schrijf je hier weer, dan begroet ik je als nieuw lid.',
  'privacy.usage': 'Stuur *privacy* om te zien wat er van je bewaard wordt, of *privacy vergeet* om het te laten wissen.',
  'privacy.formerMember': 'een oud-lid',
};
