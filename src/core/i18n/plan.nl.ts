/** Dutch chat texts for planning activities from chat and school-holiday notices; spread into nl.ts. */
export const planNl = {
  'help.plan': '*plan* 12-03 19:30 Intervisie | Buurthuis | 20 — (ambassadeurs, managers) plan een activiteit',

  'events.plan.forbidden': 'Alleen ambassadeurs en managers kunnen activiteiten plannen. Vraag een van hen om het te plannen.',
  'events.plan.usage':
    'Plan een activiteit zo:\n*plan* 12-03 19:30 Intervisie | Buurthuis | 20\nDe datum (dag-maand, eventueel met jaar, of morgen, of een weekdag), de begintijd (19:30, of 19:30-21:00 met een eindtijd), de titel; dan na | de plek of een link, en het aantal plaatsen, allebei als je wilt. Zonder eindtijd duurt het 2 uur.',
  'events.plan.bad.form': 'Dat kon ik niet lezen.',
  'events.plan.bad.date': 'Ik kon de datum niet lezen.',
  'events.plan.bad.time': 'Ik kon de tijd niet lezen.',
  'events.plan.bad.title': 'De activiteit heeft een titel nodig van hoogstens 200 tekens.',
  'events.plan.past': 'Dat begin is al voorbij ({when}). Plan het in de toekomst.',
  'events.plan.invalid': 'Dat kan niet gepland worden: een activiteit eindigt na het begin en duurt hoogstens 14 dagen.',
  'events.plan.done': 'Gepland: activiteit {number}, {kind}: {title}, {when} tot {end}.{place}{places} Leden melden zich aan met *aanmelden {number}*.',
  'events.plan.raw': '{text}',
  'events.plan.places': ' {capacity} plaatsen.',

  'events.holiday.notice': 'Let op bij de planning: activiteit {number}, {title} ({when}), valt in {holidays}. Leden met schoolgaande kinderen zijn dan misschien weg.',
  'events.holiday.item': 'de {holiday} van regio {region} ({from} t/m {to})',
  'events.holiday.autumn': 'herfstvakantie',
  'events.holiday.christmas': 'kerstvakantie',
  'events.holiday.spring': 'voorjaarsvakantie',
  'events.holiday.may': 'meivakantie',
  'events.holiday.summer': 'zomervakantie',
} as const;
