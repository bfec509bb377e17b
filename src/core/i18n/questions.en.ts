/** English chat texts for questions and the knowledge base; spread into en.ts. questions.nl.ts has the same keys. */
export const questionsEn = {
  'help.ask': '*ask* <your question> — ask the whole community (*ask* 3 shows question 3 with its answers)',
  'help.answer': '*answer* 3 <your answer> — answer question 3, or simply reply to the question',
  'help.questions': '*questions* — the open questions',
  'help.solved': '*solved* 3 2 — (who asked, managers) answer 2 solved question 3',
  'help.search': '*search* <words> — find earlier questions and answers',

  'questions.post': '❓ Question {number} from {who}:\n{text}\n\nAnswer with *answer {number}* <your answer>, or reply to this message.',
  'questions.asked': 'Your question is number {number}, posted in the community’s groups and channels ({spaces}). You will hear of the answers here.',
  'questions.ask.usage': 'Ask the community like this: *ask* How do you find volunteers for the neighbourhood? (at most {max} characters)',
  'questions.unknown': 'There is no question {number}. Send *questions* for the open ones.',

  'questions.answer.usage': 'Answer like this: *answer* 3 <your answer>. Send *questions* for the open ones.',
  'questions.answer.done': 'Thanks, {name}: answer {answer} to question {number} is recorded.',

  'questions.notify.one': '💬 A new answer to your question {number} ({question}):',
  'questions.notify.many': '💬 {count} new answers to your question {number} ({question}):',
  'questions.notify.line': '{answer}. {who}: {text}',
  'questions.notify.footer': 'Did one solve it? Send *solved {number}* with the answer number.',

  'questions.solve.usage': 'Mark a question solved like this: *solved* 3, or *solved* 3 2 when answer 2 did it.',
  'questions.solve.forbidden': 'Only the one who asked question {number}, or a community manager, can mark it solved.',
  'questions.solve.badAnswer': 'Question {number} has no answer {answer}.',
  'questions.solve.done': 'Question {number} is marked solved; the groups hear of it.',
  'questions.solve.already': 'Question {number} was already marked solved like that.',
  'questions.solved.post': '✅ Question {number} is solved: {question}',
  'questions.solved.best': 'Best answer, from {who}:\n{text}',

  'questions.escalate':
    '🙋 Question {number} from {who} has had no answer for {hours} hours:\n{text}\n\nCan you answer it, or ask someone who can? Send *answer {number}* <your answer>, or reply to this message.',

  'questions.show': 'Question {number} from {who}{solved}:\n{text}',
  'questions.show.solved': ' (solved)',
  'questions.show.answer': '{answer}. {who}{best}: {text}',
  'questions.show.best': ' ✅',
  'questions.show.none': 'No answers yet. Send *answer {number}* <your answer>.',

  'questions.list.none': 'There are no open questions in {community}. Send *ask* <your question> to ask one.',
  'questions.list.title': 'Open questions in {community}:',
  'questions.list.line': '{number}. {text} (answers: {answers})',
  'questions.list.footer': 'Send *ask* <number> to read one, *answer* <number> <your answer> to answer.',

  'search.usage': 'Search earlier questions and answers like this: *search* volunteers',
  'search.none': 'Nothing found for "{query}". Ask the community: *ask* <your question>.',
  'search.title': 'Found for "{query}" ({total}):',
  'search.line': '{number}. {solved}{snippet}',
  'search.solved': '✅ ',
  'search.more': '… and {more} more. Send *ask* <number> to read a question with its answers.',
  'search.footer': 'Send *ask* <number> to read a question with its answers.',
} as const;
