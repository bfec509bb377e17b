/** English chat texts for activities (events); spread into en.ts. events.nl.ts has the same keys. */
export const eventsEn = {
  'help.events': '*events* — the activities coming up, with their numbers',
  'help.join': '*join* 3 — sign up for activity 3',
  'help.leave': '*leave* 3 — sign off from activity 3',

  'events.none': 'No activities are planned in {community} right now.',
  'events.title': 'Activities coming up in {community}:',
  'events.line': '*{number}* — {kind}: {title}, {when}. {places}{mine}',
  'events.places.open': '{confirmed} of {capacity} places taken.',
  'events.places.full': 'Full ({waiting} on the waiting list).',
  'events.places.unlimited': '{confirmed} signed up.',
  'events.mine.confirmed': ' You are coming.',
  'events.mine.waiting': ' You are on the waiting list.',
  'events.footer': 'Send *join* <number> to sign up, *leave* <number> to sign off.',

  'events.kind.webinar': 'Webinar',
  'events.kind.meetup': 'Meetup',
  'events.kind.intervision': 'Intervision group',
  'events.kind.social': 'Social outing',

  'events.button.join': 'Join {number}',
  'events.button.leave': 'Leave {number}',

  'events.usage.join': 'Send *join* with the number of the activity, for example *join 3*. Send *events* for the list.',
  'events.usage.leave': 'Send *leave* with the number of the activity, for example *leave 3*.',
  'events.unknown': 'There is no activity {number}. Send *events* for the list.',
  'events.cancelled': '{title} has been cancelled.',
  'events.past': '{title} has already started; signing up is closed.',
  'events.closed': 'Sign-up for {title} closed on {date}.',

  'events.join.confirmed': 'You are signed up for {title}, {when}. See you there!',
  'events.join.waiting': '{title} is full: you are number {position} on the waiting list. I will let you know when a place opens up.',
  'events.join.already': 'You were already signed up for {title}.',
  'events.join.alreadyWaiting': 'You are already on the waiting list for {title}, as number {position}.',
  'events.leave.done': 'You are no longer signed up for {title}.',
  'events.leave.notSignedUp': 'You were not signed up for {title}.',

  'events.promoted': 'Good news, {name}: a place opened up for {title}, {when}. You are signed up now. Send *leave {number}* if you cannot come.',
  'events.announce': 'New activity {number}: {kind} *{title}*, {when}.{place} Send *join {number}* to sign up.',
  'events.reminder.attendee': 'Reminder: *{title}* starts {when}.{place}',
  'events.reminder.space': 'Reminder: *{title}* starts {when}.{place} {places} Send *join {number}* to come along.',
  'events.where.location': ' Where: {location}.',
  'events.where.online': ' Online: {url}',
  'events.moved': '*{title}* has moved: it now starts {when}.',
  'events.cancelledNotice': '*{title}* ({when}) has been cancelled. Sorry!',
} as const;
