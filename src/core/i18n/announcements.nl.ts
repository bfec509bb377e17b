/** Dutch chat texts for announcements; spread into nl.ts. Same keys as announcements.en.ts. */
export const announcementsNl = {
  'help.announce': '*aankondiging* <tekst> — (ambassadeurs, managers) een bericht aan elke groep en elk kanaal van de community',

  'announcements.post': '📣 {text}',
  'announcements.done': 'Aangekondigd in {spaces} groepen en kanalen.',
  'announcements.usage': 'Zet het bericht achter het woord, bijvoorbeeld: *aankondiging* De meetup van donderdag begint om 19.30 uur. (Hoogstens {max} tekens.)',
  'announcements.forbidden': 'Alleen ambassadeurs en communitymanagers kunnen een aankondiging aan de hele community sturen.',
} as const;
