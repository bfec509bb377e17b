import type { MessageKey, Params } from '../i18n/index.js';
import { formatDate } from '../i18n/index.js';
import type { Command } from '../commands/registry.js';
import { declarationView, representatives, representedBy, signDeclaration } from './declaration.js';

/** `declaration` / `verklaring`: the current text and which organisations signed it. */
export const declarationCommand: Command = {
  name: 'declaration',
  words: { en: ['declaration', 'intent'], nl: ['verklaring', 'intentieverklaring'] },
  help: ['help.declaration'],
  readOnly: true,
  async run(ctx) {
    const view = await declarationView(ctx.tx, ctx.community.id);
    if (!view) return ctx.reply('declaration.none', { community: ctx.community.name });
    const date = (d: Date) => formatDate(ctx.language, d, ctx.community.timezone);
    const total = view.signed.length + view.unsigned.length;
    const lines: [MessageKey, Params?][] = [
      ['declaration.show', { community: ctx.community.name, version: view.version, text: view.text }],
      ['raw', { text: '' }],
      ['declaration.status', { signed: view.signed.length, total }],
      ...view.signed.map((s): [MessageKey, Params] => ['declaration.line.signed', { organisation: s.organisation, name: s.name, date: date(s.signedAt) }]),
      ...view.unsigned.map((u): [MessageKey, Params] => ['declaration.line.unsigned', { organisation: u.organisation }]),
    ];
    if (view.unsigned.length > 0) lines.push(['declaration.howSign']);
    ctx.replyLines(lines);
  },
};

/**
 * `sign` / `teken`: a steering-group representative signs the current version for the
 * organisation(s) they represent. Anyone else is told who may sign.
 */
export const signCommand: Command = {
  name: 'sign',
  words: { en: ['sign'], nl: ['teken', 'onderteken'] },
  help: ['help.sign'],
  async run(ctx) {
    const view = await declarationView(ctx.tx, ctx.community.id);
    if (!view) return ctx.reply('declaration.none', { community: ctx.community.name });
    const orgs = await representedBy(ctx.tx, ctx.community.id, ctx.member.id);
    if (orgs.length === 0) {
      const reps = await representatives(ctx.tx, ctx.community.id);
      if (reps.length === 0) return ctx.reply('declaration.sign.refusedNone');
      const list = reps.map((r) => ctx.t('declaration.sign.representative', r)).join(', ');
      return ctx.reply('declaration.sign.refused', { list });
    }
    const lines: [MessageKey, Params?][] = [];
    let count: Params = {};
    for (const org of orgs) {
      const outcome = (await signDeclaration(ctx.tx, ctx.community, org, { memberId: ctx.member.id, name: ctx.member.displayName }, 'chat', ctx.now))!;
      const { signature: s } = outcome;
      lines.push(
        outcome.kind === 'signed'
          ? ['declaration.sign.done', { name: ctx.member.displayName, version: s.version, organisation: org.name }]
          : ['declaration.sign.already', { organisation: org.name, version: s.version, signer: s.signerName, date: formatDate(ctx.language, s.signedAt, ctx.community.timezone) }],
      );
      count = { signed: outcome.signed, total: outcome.total };
    }
    lines.push(['declaration.sign.count', count]);
    ctx.replyLines(lines);
  },
};

export const declarationCommands = [declarationCommand, signCommand];
