/** English texts for the failure stories ("Dit ging helemaal mis bij…"); stories.nl.ts has the same keys. */
export const storiesEn = {
  'help.story': '*story* <your story> — share what went wrong and what you learned (just *story* in a direct chat: I ask step by step)',

  'stories.submitted': 'Thank you, {name}! The community manager reviews your story before it is published in the series “It all went wrong at…”.',
  'stories.submitted.credited': 'It will carry your name. To publish it anonymously instead, send *story anonymous* now.',
  'stories.submitted.anonymous': 'It will be published anonymously.',
  'stories.madeAnonymous': 'Done: your story will be published anonymously.',
  'stories.tooLong': 'A story is at most {max} characters; yours is {length}. Shorten it a little, or tell it step by step: send *story* in a direct chat with me.',
  'stories.usage': 'Send *story* followed by your story, or just *story* in a direct chat with me and I ask you step by step.',

  'stories.guided.intro': '📖 It all went wrong at… Your story helps others avoid the same pitfall. Three questions; send _stop_ to pause, *story* continues later.',
  'stories.guided.resume': 'Welcome back to your story: here is where you left off.',
  'stories.q.1': '_1 of 3_ — What did you try? What were you working on?',
  'stories.q.2': '_2 of 3_ — What went wrong?',
  'stories.q.3': '_3 of 3_ — What did you learn from it? What would you do differently?',
  'stories.q.4': 'Last question: publish it with your name ({name}) or anonymously? Answer 1 for with my name, 2 for anonymously.',
  'stories.bad.credit': 'Please answer 1 (with your name) or 2 (anonymously).',
  'stories.bad.empty': 'Please tell me in a few words.',
  'stories.bad.tooLong': 'That is a bit long: at most {max} characters per answer. Could you shorten it?',
  'stories.guided.paused': 'Paused. What you told me so far is kept; send *story* to continue.',
  'stories.guided.group': '{name}, I have sent you the questions for your story in a direct chat.',
  'stories.guided.unreachable':
    '{name}, I cannot start a direct chat with you here. Open a personal chat with me and send *story* there, or send *story* followed by your story.',

  'stories.part.1': 'What we tried: {text}',
  'stories.part.2': 'What went wrong: {text}',
  'stories.part.3': 'What we learned: {text}',

  'stories.approved': 'Good news, {name}: your story has been approved and will be published on {date}.',
  'stories.rejected': '{name}, your story will not be published. The community manager says: {reason}',

  'stories.published': '📖 It all went wrong at… #{number}\n\n{text}\n\n— {author}',
  'stories.author.anonymous': 'a member who prefers to stay anonymous',
  'stories.author.organisation': '{name}, {organisation}',
} as const;
