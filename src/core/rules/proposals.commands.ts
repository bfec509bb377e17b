import { and, asc, eq } from 'drizzle-orm';
import { members, ruleProposals } from '../../db/schema/index.js';
import type { Command, CommandContext } from '../commands/registry.js';
import { CoreError } from '../errors.js';
import { decide, propose, proposalByNumber, RULES_TEXT_MAX } from './proposals.service.js';

const LIST_MAX = 10;
const isManager = (ctx: CommandContext) => ctx.member.role === 'manager';
const isCoreGroup = (ctx: CommandContext) => isManager(ctx) || ctx.member.role === 'ambassador';

/** `propose <text>`: the core group proposes new house rules; the manager decides. */
export const proposeCommand: Command = {
  name: 'propose',
  words: { en: ['propose'], nl: ['voorstel', 'stelvoor'] },
  help: ['help.propose'],
  async run(ctx, args) {
    if (!isCoreGroup(ctx)) return ctx.reply('proposals.forbidden');
    if (!args.trim() || args.length > RULES_TEXT_MAX) return ctx.reply('proposals.usage', { max: RULES_TEXT_MAX });
    const proposal = await propose(ctx.tx, ctx.community.id, args, ctx.member.id, ctx.now);
    ctx.reply('proposals.recorded', { number: proposal.number });
  },
};

/** `proposals`: the open ones, for the core group. */
export const proposalsCommand: Command = {
  name: 'proposals',
  words: { en: ['proposals'], nl: ['voorstellen'] },
  help: ['help.proposals'],
  readOnly: true,
  async run(ctx) {
    if (!isCoreGroup(ctx)) return ctx.reply('proposals.forbidden');
    const open = await ctx.tx
      .select({ number: ruleProposals.number, text: ruleProposals.text, by: members.displayName })
      .from(ruleProposals)
      .leftJoin(members, eq(members.id, ruleProposals.proposedById))
      .where(and(eq(ruleProposals.communityId, ctx.community.id), eq(ruleProposals.status, 'open')))
      .orderBy(asc(ruleProposals.number))
      .limit(LIST_MAX);
    if (open.length === 0) return ctx.reply('proposals.none');
    ctx.replyLines([
      ['proposals.title', { community: ctx.community.name }],
      ...open.map((p): ['proposals.line', Record<string, string | number>] => [
        'proposals.line',
        { number: p.number, by: p.by ?? ctx.t('proposals.byApi'), text: p.text.length > 300 ? `${p.text.slice(0, 300)}…` : p.text },
      ]),
      [isManager(ctx) ? 'proposals.footer.manager' : 'proposals.footer'],
    ]);
  },
};

/** `adopt N` / `decline N`: the manager decides on a proposal. */
const decision = (name: 'adopt' | 'decline', words: Command['words'], outcome: 'adopted' | 'declined'): Command => ({
  name,
  words,
  help: [name === 'adopt' ? 'help.adopt' : 'help.decline'],
  async run(ctx, args) {
    if (!isManager(ctx)) return ctx.reply('proposals.managersOnly');
    const number = Number(args.trim());
    if (!Number.isInteger(number) || number < 1) return ctx.reply('proposals.usage.decide');
    const proposal = await proposalByNumber(ctx.tx, ctx.community, number);
    if (!proposal) return ctx.reply('proposals.unknown', { number: args.trim().slice(0, 12) });
    try {
      const decided = await decide(ctx.tx, proposal, outcome, ctx.now);
      if (outcome === 'adopted') ctx.reply('proposals.adopted', { number, version: decided.adoptedVersion! });
      else ctx.reply('proposals.declined', { number });
    } catch (error) {
      if (error instanceof CoreError && error.code === 'conflict') return ctx.reply('proposals.decided', { number, status: ctx.t(`proposals.status.${proposal.status}`) });
      throw error;
    }
  },
});

export const proposalCommands = [
  proposeCommand,
  proposalsCommand,
  decision('adopt', { en: ['adopt'], nl: ['aannemen'] }, 'adopted'),
  decision('decline', { en: ['decline'], nl: ['afwijzen'] }, 'declined'),
];
