/** English chat texts for planning activities from chat and school-holiday notices; spread into en.ts. plan.nl.ts has the same keys. */
export const planEn = {
  'help.plan': '*plan* 12-03 19:30 Intervision | Buurthuis | 20 — (ambassadors, managers) plan an activity',

  'events.plan.forbidden': 'Only ambassadors and managers can plan activities. Ask one of them to plan it.',
  'events.plan.usage':
    'Plan an activity like this:\n*plan* 12-03 19:30 Intervision | Buurthuis | 20\nThe date (day-month, with a year if you like, or tomorrow, or a weekday), the start time (19:30, or 19:30-21:00 with an end), the title; then after | the place or a link, and the number of places, both optional. Without an end it lasts 2 hours.',
  'events.plan.bad.form': 'I could not read that.',
  'events.plan.bad.date': 'I could not read the date.',
  'events.plan.bad.time': 'I could not read the time.',
  'events.plan.bad.title': 'The activity needs a title of at most 200 characters.',
  'events.plan.past': 'That start has passed ({when}). Plan it in the future.',
  'events.plan.invalid': 'That cannot be planned: an activity ends after it starts and lasts 14 days at most.',
  'events.plan.done': 'Planned: activity {number}, {kind}: {title}, {when} to {end}.{place}{places} Members sign up with *join {number}*.',
  'events.plan.raw': '{text}',
  'events.plan.places': ' {capacity} places.',

  'events.holiday.notice': 'Note for planning: activity {number}, {title} ({when}), falls in {holidays}. Members with children at school may be away.',
  'events.holiday.item': 'the {holiday} of region {region} ({from} to {to})',
  'events.holiday.autumn': 'autumn holiday (herfstvakantie)',
  'events.holiday.christmas': 'Christmas holiday (kerstvakantie)',
  'events.holiday.spring': 'spring holiday (voorjaarsvakantie)',
  'events.holiday.may': 'May holiday (meivakantie)',
  'events.holiday.summer': 'summer holiday (zomervakantie)',
} as const;
