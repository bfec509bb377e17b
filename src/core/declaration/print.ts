import type { Language } from '../../db/schema/index.js';
import { formatDate, t } from '../i18n/index.js';
import type { DeclarationView } from './declaration.js';

/** Text safe inside HTML elements and attribute values. */
export const escapeHtml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

/**
 * The declaration as one printable A4 page: the text (escaped, its line breaks kept), then a
 * signature block per organisation — the name and date of who signed, or blank lines to sign
 * on paper for those who have not.
 */
export function declarationHtml(view: DeclarationView, community: { name: string; language: Language; timezone: string }): string {
  const { language: lang, timezone } = community;
  const tr = (key: Parameters<typeof t>[1], params?: Parameters<typeof t>[2]) => escapeHtml(t(lang, key, params));
  const date = (d: Date) => formatDate(lang, d, timezone);
  const paragraphs = view.text
    .split(/\n{2,}/)
    .map((p) => `<p>${escapeHtml(p).replace(/\n/g, '<br>')}</p>`)
    .join('\n');
  const rows = [
    ...view.signed.map(
      (s) => `<tr><td>${escapeHtml(s.organisation)}</td><td>${escapeHtml(s.name)}</td><td>${escapeHtml(date(s.signedAt))}</td>` +
        `<td class="digital">${tr('declaration.print.signedDigitally', { via: t(lang, `declaration.print.via.${s.via}`), date: date(s.signedAt) })}</td></tr>`,
    ),
    ...view.unsigned.map(
      (u) => `<tr class="blank"><td>${escapeHtml(u.organisation)}</td><td>${u.representative ? escapeHtml(u.representative) : '<span class="line"></span>'}</td>` +
        '<td><span class="line"></span></td><td><span class="line"></span></td></tr>',
    ),
  ].join('\n');
  return `<!doctype html>
<html lang="${lang}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${tr('declaration.print.title')} — ${escapeHtml(community.name)}</title>
<style>
  @page { size: A4; margin: 18mm 20mm; }
  body { font: 11pt/1.45 Georgia, 'Times New Roman', serif; color: #111; max-width: 170mm; margin: 0 auto; }
  h1 { font-size: 18pt; margin: 0 0 2mm; }
  .meta { color: #555; margin: 0 0 6mm; }
  p { margin: 0 0 3mm; }
  h2 { font-size: 13pt; margin: 8mm 0 3mm; }
  table { width: 100%; border-collapse: collapse; page-break-inside: avoid; }
  th, td { text-align: left; padding: 2.5mm 2mm; border-bottom: 0.3mm solid #999; vertical-align: bottom; }
  tr.blank td { height: 12mm; }
  .line { display: inline-block; width: 100%; min-width: 25mm; border-bottom: 0.3mm solid #111; }
  .digital { font-style: italic; color: #333; }
  @media print { body { max-width: none; } }
</style>
</head>
<body>
<h1>${tr('declaration.print.title')} — ${escapeHtml(community.name)}</h1>
<p class="meta">${tr('declaration.print.version', { version: view.version, date: date(view.publishedAt) })}</p>
${paragraphs}
<h2>${tr('declaration.print.signatures')}</h2>
<table>
<thead><tr><th>${tr('declaration.print.organisation')}</th><th>${tr('declaration.print.name')}</th><th>${tr('declaration.print.date')}</th><th>${tr('declaration.print.signature')}</th></tr></thead>
<tbody>
${rows}
</tbody>
</table>
</body>
</html>
`;
}
