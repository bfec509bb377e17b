/** English texts for the intent declaration (intentieverklaring); declaration.nl.ts has the same keys. */
export const declarationEn = {
  'help.declaration': '*declaration* — read the intent declaration and see which organisations signed it',
  'help.sign': '*sign* — (steering-group representatives) sign the intent declaration for your organisation',

  'declaration.none': '{community} has no intent declaration yet.',
  'declaration.show': '📜 Intent declaration of {community} (version {version}):\n\n{text}',
  'declaration.status': 'Signed by {signed} of {total} organisations:',
  'declaration.line.signed': '✅ {organisation} — {name}, {date}',
  'declaration.line.unsigned': '⬜ {organisation}',
  'declaration.howSign': 'Representatives sign with *sign*.',

  'declaration.published.first':
    '📜 The intent declaration of {community} (version {version}):\n\n{text}\n\nThe steering-group representatives of the organisations taking part are asked to sign it: send *sign*.',
  'declaration.published.changed':
    '📜 The intent declaration of {community} has changed (version {version}); signatures under earlier versions do not count for it:\n\n{text}\n\nThe steering-group representatives are asked to sign it again: send *sign*.',
  'declaration.ask':
    '{name}, version {version} of the intent declaration of {community} is ready to be signed for {organisation}. Send *declaration* to read it and *sign* to sign it.',
  'declaration.reminder':
    'A reminder, {name}: {organisation} has not signed version {version} of the intent declaration of {community} yet. Send *declaration* to read it and *sign* to sign it.',

  'declaration.sign.done': 'Thank you, {name}: you signed version {version} of the intent declaration for {organisation}.',
  'declaration.sign.already': '{organisation} already signed version {version} of the intent declaration ({signer}, {date}).',
  'declaration.sign.count': '{signed} of {total} organisations have signed.',
  'declaration.sign.refused': 'Only the steering-group representatives sign the intent declaration, each for their organisation: {list}.',
  'declaration.sign.refusedNone':
    'Only the steering-group representatives sign the intent declaration, and none has been named yet: the community manager names them.',
  'declaration.button.sign': 'Sign',
  'declaration.sign.representative': '{name} ({organisation})',

  'declaration.toast':
    '🥂 Every organisation taking part has signed the intent declaration of {community}: {organisations}. Raise your glass: to the start of an inspiring community!',

  'declaration.print.title': 'Intent declaration',
  'declaration.print.version': 'Version {version}, {date}',
  'declaration.print.signatures': 'Signatures',
  'declaration.print.organisation': 'Organisation',
  'declaration.print.name': 'Name',
  'declaration.print.date': 'Date',
  'declaration.print.signature': 'Signature',
  'declaration.print.signedDigitally': 'signed in {via} on {date}',
  'declaration.print.via.chat': 'the chat',
  'declaration.print.via.api': 'the register',
} as const;
