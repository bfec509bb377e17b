/** English texts for members' own data (AVG/GDPR); privacy.nl.ts has the same keys. */
export const privacyEn = {
  'help.privacy': '*privacy* — what the community keeps about you, and how to have it erased',

  'privacy.overview':
    'What {community} keeps about you, {name}:\n' +
    'Known on: {channels}\nOrganisation: {organisation}\nRole: {role}\nMember since: {since}\n' +
    'Messages of yours I saw: {messages} (I keep when, and which command; never what an ordinary message said)\n' +
    'Sign-ups: {signups} · poll votes: {votes} · survey answers: {surveyAnswers}\n' +
    'Questions asked: {questions} · answers given: {answers} · stories: {stories} (their texts are kept)',
  'privacy.export': 'The community manager can send you all of it as one file.',
  'privacy.howForget': 'To have everything about you in {community} erased, send *privacy forget*.',
  'privacy.forget.confirm':
    'This erases you from {community}: your name, your number or Teams account, your sign-ups, votes and survey answers, and your stories not yet published. ' +
    'Your published stories, questions and answers stay, without your name; a declaration signed for your organisation stays signed. ' +
    'Messages already in the WhatsApp groups or Teams channels stay there, and if you write in a group again you are a member again.\n' +
    'Sure? Send *privacy forget yes*.',
  'privacy.forget.yes': 'Yes, forget me',
  'privacy.forget.done':
    'Understood, {name}. Within a minute everything about you in {community} is erased. If you write here again, I will greet you as a new member.',
  'privacy.usage': 'Send *privacy* to see what is kept about you, or *privacy forget* to have it erased.',
  'privacy.formerMember': 'a former member',
} as const;
