import { eq } from 'drizzle-orm';
import { bridgeOptOuts, bridges, spaces } from '../../db/schema/index.js';
import type { Command, CommandContext } from '../commands/registry.js';
import { bridgeOf, configureBridge } from './bridge.service.js';
import { targetsOf } from './relay.js';

/**
 * What follows `bridge` / `brug`. The manager's words switch the whole bridge; a member's own
 * choice always starts with "me" / "mij", so `bridge off` (everyone) and `bridge me off` (only
 * my messages) cannot be mistaken for each other.
 */
const MANAGER_WORDS: Record<string, 'on' | 'off' | 'pause'> = {
  on: 'on',
  aan: 'on',
  resume: 'on',
  hervat: 'on',
  off: 'off',
  uit: 'off',
  pause: 'pause',
  pauze: 'pause',
  pauzeer: 'pause',
};
const ME_WORDS = new Set(['me', 'mij', 'my', 'mijn', 'myself']);
const MY_WORDS: Record<string, 'on' | 'off'> = { on: 'on', aan: 'on', off: 'off', uit: 'off' };

export const bridgeCommand: Command = {
  name: 'bridge',
  words: { en: ['bridge'], nl: ['brug'] },
  help: ['help.bridge', 'help.bridge.manager'],
  async run(ctx, args) {
    const words = args.toLowerCase().split(/\s+/).filter(Boolean);
    if (words.length === 0) return status(ctx);
    if (ME_WORDS.has(words[0]!)) {
      const choice = MY_WORDS[words[1] ?? ''];
      if (!choice || words.length > 2) return ctx.reply('bridge.usage');
      if (choice === 'off') {
        await ctx.tx.insert(bridgeOptOuts).values({ memberId: ctx.member.id, communityId: ctx.community.id, createdAt: ctx.now, updatedAt: ctx.now }).onConflictDoNothing();
      } else {
        await ctx.tx.delete(bridgeOptOuts).where(eq(bridgeOptOuts.memberId, ctx.member.id));
      }
      return ctx.reply(choice === 'off' ? 'bridge.me.off' : 'bridge.me.on', { name: ctx.member.displayName });
    }
    const action = MANAGER_WORDS[words[0]!];
    if (!action || words.length > 1) return ctx.reply('bridge.usage');
    if (ctx.member.role !== 'manager') return ctx.reply('bridge.forbidden');
    const before = await bridgeOf(ctx.tx, ctx.community.id);
    if (action === 'on') {
      if (before.enabled && !before.paused) return ctx.reply('bridge.already.on');
      await configureBridge(ctx.tx, ctx.community.id, { enabled: true, paused: false }, ctx.now);
      const count = (await ctx.tx.select({ id: spaces.id }).from(spaces).where(eq(spaces.communityId, ctx.community.id))).length;
      return ctx.reply('bridge.on', { count });
    }
    if (action === 'off') {
      if (!before.enabled) return ctx.reply('bridge.already.off');
      await configureBridge(ctx.tx, ctx.community.id, { enabled: false }, ctx.now);
      return ctx.reply('bridge.off');
    }
    if (!before.enabled) return ctx.reply('bridge.pause.off');
    if (before.paused) return ctx.reply('bridge.already.paused');
    await configureBridge(ctx.tx, ctx.community.id, { paused: true }, ctx.now);
    return ctx.reply('bridge.paused');
  },
};

/** `bridge`: on or off, where messages from here go, and whether the member's own do. */
async function status(ctx: CommandContext) {
  const [row] = await ctx.tx.select().from(bridges).where(eq(bridges.communityId, ctx.community.id));
  const [optedOut] = await ctx.tx.select({ id: bridgeOptOuts.memberId }).from(bridgeOptOuts).where(eq(bridgeOptOuts.memberId, ctx.member.id));
  const mine: ['bridge.status.optedOut' | 'bridge.status.optedIn'] = [optedOut ? 'bridge.status.optedOut' : 'bridge.status.optedIn'];
  if (!row?.enabled) return ctx.replyLines([['bridge.status.off'], mine]);
  if (row.pausedAt) return ctx.replyLines([['bridge.status.paused'], mine]);
  // In a direct chat there is no "here": then every space of the community is named.
  const targets = ctx.space
    ? await targetsOf(ctx.tx, row, ctx.space)
    : await ctx.tx.select().from(spaces).where(eq(spaces.communityId, ctx.community.id));
  if (targets.length === 0) return ctx.replyLines([['bridge.status.alone'], mine]);
  const names = targets.map((s) => s.name).join(', ');
  return ctx.replyLines([[row.scope === 'pairs' ? 'bridge.status.pairs' : 'bridge.status.on', { spaces: names }], mine]);
}
