/** English chat texts for surveys; spread into en.ts. surveys.nl.ts has the same keys. */
export const surveysEn = {
  'help.survey': '*survey* — answer the open survey in a direct chat with me (stop and resume whenever you like)',

  'surveys.intro': '📋 {title}',
  'surveys.resume': 'Welcome back to “{title}”: here is where you left off.',
  'surveys.reminder': 'A reminder: you have not finished “{title}” yet. Here is where you left off.',
  'surveys.question': '*Question {number} of {count}:* {text}',
  'surveys.option': '{number}. {label}',
  'surveys.how.single': 'Answer with the number of your choice.',
  'surveys.how.multiple': 'Answer with the numbers of your choices, for example _1 3_.',
  'surveys.how.scale': 'Answer with a number from 1 (not at all) to 5 (very much).',
  'surveys.how.open': 'Answer in your own words.',
  'surveys.how.skip': 'Send _skip_ to leave this question out.',
  'surveys.how.stop': 'Send _stop_ to pause; *survey* resumes later.',

  'surveys.bad.single': 'Please answer with one number from 1 to {count}.',
  'surveys.bad.multiple': 'Please answer with numbers from 1 to {count}, for example _1 3_.',
  'surveys.bad.scale': 'Please answer with a number from 1 to 5.',
  'surveys.bad.open': 'Please answer in a few words.',
  'surveys.bad.required': 'This question cannot be skipped.',

  'surveys.done': 'Thank you! Your answers to “{title}” are saved.',
  'surveys.paused': 'Paused. Your answers so far are saved; send *survey* to continue with question {number}.',
  'surveys.closed': 'The survey “{title}” is closed; answers are no longer taken.',
  'surveys.none': 'There is no open survey for you in {community} right now.',
  'surveys.allDone': 'You have answered every open survey in {community}. Thank you!',
  'surveys.group.continue': '{name}, I have sent you the survey in a direct chat.',
  'surveys.group.unreachable': '{name}, I cannot start a direct chat with you here. Open a personal chat with me and send *survey* there.',
} as const;
