/** English chat texts for announcements; spread into en.ts. announcements.nl.ts has the same keys. */
export const announcementsEn = {
  'help.announce': '*announce* <text> — (ambassadors, managers) a message to every group and channel of the community',

  'announcements.post': '📣 {text}',
  'announcements.done': 'Announced in {spaces} groups and channels.',
  'announcements.usage': 'Write the message after the word, for example: *announce* The meetup on Thursday starts at 19:30. (At most {max} characters.)',
  'announcements.forbidden': 'Only ambassadors and community managers can send an announcement to the whole community.',
} as const;
