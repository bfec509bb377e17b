import { asc, eq } from 'drizzle-orm';
import { identities, members, organisations } from '../../db/schema/index.js';
import type { Command, CommandContext } from '../commands/registry.js';
import { formatDate } from '../i18n/index.js';
import { replyPrivately } from '../inbound/direct.js';
import { memberFigures } from './export.js';

const FORGET = new Set(['forget', 'erase', 'delete', 'vergeet', 'wis', 'verwijder']);
const YES = new Set(['yes', 'ja', 'confirm', 'bevestig']);
const CHANNEL_NAMES = { whatsapp: 'WhatsApp', teams: 'Microsoft Teams' } as const;

/**
 * `privacy`: what the community keeps about the sender, and `privacy forget` (then `… yes`) to be
 * erased; answered in their own chat, from a group too. The erasure itself runs in the
 * scheduler's next round (privacy.service.ts): the message asking for it is still being handled
 * in this transaction, and its records and reply name the member.
 */
export const privacyCommand: Command = {
  name: 'privacy',
  words: { en: ['privacy', 'mydata'], nl: ['privacy', 'gegevens', 'mijngegevens'] },
  help: ['help.privacy'],
  async run(ctx, args) {
    const [word = '', confirm = ''] = args.toLowerCase().split(/\s+/);
    // What is theirs goes to their own chat, never to the group.
    const answer = (lines: string[], actions?: { label: string; command: string }[]) =>
      replyPrivately(ctx, { lines, ...(actions && { actions }) }, `privacy:${ctx.member.id}`, 'privacy');
    if (!word) return answer(await overview(ctx));
    if (!FORGET.has(word)) return ctx.reply('privacy.usage');
    if (!YES.has(confirm)) {
      const yes = `privacy ${word} ${ctx.language === 'nl' ? 'ja' : 'yes'}`;
      return answer([ctx.t('privacy.forget.confirm', { community: ctx.community.name })], [{ label: ctx.t('privacy.forget.yes'), command: yes }]);
    }
    if (!ctx.member.eraseRequestedAt) {
      await ctx.tx.update(members).set({ eraseRequestedAt: ctx.now, updatedAt: ctx.now }).where(eq(members.id, ctx.member.id));
    }
    return answer([ctx.t('privacy.forget.done', { name: ctx.member.displayName, community: ctx.community.name })]);
  },
};

async function overview(ctx: CommandContext): Promise<string[]> {
  const { member, community } = ctx;
  const [known, [organisation], figures] = await Promise.all([
    ctx.tx.selectDistinct({ channel: identities.channel }).from(identities).where(eq(identities.memberId, member.id)).orderBy(asc(identities.channel)),
    member.organisationId ? ctx.tx.select({ name: organisations.name }).from(organisations).where(eq(organisations.id, member.organisationId)) : Promise.resolve([]),
    memberFigures(ctx.tx, member.id),
  ]);
  return [
    ctx.t('privacy.overview', {
      community: community.name,
      name: member.displayName,
      channels: known.map((k) => CHANNEL_NAMES[k.channel]).join(', '),
      organisation: organisation?.name ?? ctx.t('profile.none'),
      role: ctx.t(`role.${member.role}`),
      since: formatDate(ctx.language, member.firstSeenAt, community.timezone),
      ...figures,
    }),
    ctx.t('privacy.export'),
    ctx.t('privacy.howForget', { community: community.name }),
  ];
}
