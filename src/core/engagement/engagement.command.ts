import { and, asc, eq, gte, isNull } from 'drizzle-orm';
import { events } from '../../db/schema/index.js';
import type { Command } from '../commands/registry.js';
import { counts } from '../events/signup.js';
import { replyPrivately } from '../inbound/direct.js';
import { formatDate, type MessageKey, type Params } from '../i18n/index.js';
import { engagementFigures } from './engagement.js';
import { DEFAULT_DAYS, MAX_DAYS } from './engagement.service.js';

/** Activities and organisations named in the chat summary at most; the REST figures list all. */
const LISTED = 5;
/** Commands named in the chat summary, the most used first. */
const COMMANDS_LISTED = 6;
/** Coming activities named. */
const UPCOMING = 3;

/**
 * `figures [days]`: the core group's view of who took part, in their own chat (per organisation
 * a small number can point at one person). `all` gives the commands, to name them in the
 * member's language.
 */
export const figuresCommand = (all: () => Command[]): Command => ({
  name: 'figures',
  words: { en: ['figures', 'stats'], nl: ['cijfers', 'statistieken'] },
  help: ['help.figures'],
  readOnly: true,
  async run(ctx, args) {
    if (ctx.member.role === 'member') return ctx.reply('figures.forbidden');
    const days = args.trim() ? Number(args.trim()) : DEFAULT_DAYS;
    if (!Number.isInteger(days) || days < 1 || days > MAX_DAYS) return ctx.reply('figures.usage', { max: MAX_DAYS });
    // Up to and including this moment: what was written in this very batch counts.
    const to = new Date(ctx.now.getTime() + 1);
    const f = await engagementFigures(ctx.tx, ctx.community.id, { from: new Date(to.getTime() - days * 86_400_000), to });
    const lines: [MessageKey, Params?][] = [
      ['figures.title', { community: ctx.community.name, days }],
      ['figures.members', { total: f.members.total, new: f.members.new, active: f.members.active, share: Math.round(f.members.activeShare * 100) }],
    ];
    const organisations = f.organisations.filter((o) => o.id !== null || o.members > 0).sort((a, b) => b.active - a.active || b.members - a.members);
    if (organisations.some((o) => o.id !== null)) {
      const list = organisations.slice(0, LISTED).map((o) => ctx.t('figures.organisation', { name: o.name ?? ctx.t('figures.noOrganisation'), active: o.active, members: o.members }));
      lines.push(['figures.organisations', { list: list.join(' · ') }]);
    }
    const wordOf = new Map(all().map((c) => [c.name, c.words[ctx.language][0] ?? c.name]));
    const commands = Object.entries(f.messages.commands)
      .filter(([name]) => wordOf.has(name))
      .sort((a, b) => b[1]! - a[1]!)
      .slice(0, COMMANDS_LISTED)
      .map(([name, n]) => `${wordOf.get(name)} ${n}`);
    lines.push(['figures.messages', { total: f.messages.total, commands: commands.join(', ') || ctx.t('figures.none') }]);
    for (const a of f.activities.filter((e) => !e.cancelled).slice(-LISTED)) {
      const came = a.attended === null ? '' : ctx.t('figures.came', { attended: a.attended });
      lines.push(['figures.activity', { title: a.title, date: formatDate(ctx.language, a.startsAt, ctx.community.timezone), confirmed: a.confirmed, waiting: a.waiting, came }]);
    }
    lines.push(['figures.questions', f.questions]);
    if (f.polls.length) lines.push(['figures.polls', { polls: f.polls.length, voters: f.polls.reduce((sum, p) => sum + p.voters, 0) }]);
    if (f.stories.submitted || f.stories.published) lines.push(['figures.stories', f.stories]);
    if (f.declaration) lines.push(['figures.declaration', f.declaration]);
    // What the core group most wants to know next: how the coming activities fill up.
    const coming = await ctx.tx
      .select()
      .from(events)
      .where(and(eq(events.communityId, ctx.community.id), gte(events.startsAt, to), isNull(events.cancelledAt)))
      .orderBy(asc(events.startsAt))
      .limit(UPCOMING);
    const tally = await counts(ctx.tx, coming.map((e) => e.id));
    for (const e of coming) {
      lines.push(['figures.upcoming', { title: e.title, date: formatDate(ctx.language, e.startsAt, ctx.community.timezone), ...tally.get(e.id)! }]);
    }
    await replyPrivately(ctx, { lines: lines.map(([key, params]) => ctx.t(key, params)) }, `figures:${ctx.member.id}`, ctx.t('figures.word'));
  },
});
