import { asc, eq } from 'drizzle-orm';
import { LANGUAGES, members, organisations, type Language } from '../../db/schema/index.js';
import { currentRules } from '../communities.service.js';
import { formatDate } from '../i18n/index.js';
import type { Command, CommandContext } from './registry.js';

export const NAME_MAX = 80;

export const helpCommand = (all: () => Command[]): Command => ({
  name: 'help',
  words: { en: ['help', 'commands', '?'], nl: ['hulp', 'help', 'opdrachten'] },
  help: ['help.help'],
  readOnly: true,
  async run(ctx) {
    ctx.replyLines([
      ['help.title', { community: ctx.community.name }],
      ...all().flatMap((c) => c.help.map((key) => [key] as [typeof key])),
      ...(ctx.direct ? [] : [['help.footer'] as ['help.footer']]),
    ]);
  },
});

export const rulesCommand: Command = {
  name: 'rules',
  words: { en: ['rules', 'houserules'], nl: ['regels', 'huisregels'] },
  help: ['help.rules'],
  readOnly: true,
  async run(ctx) {
    const rules = await currentRules(ctx.tx, ctx.community);
    if (!rules) return ctx.reply('rules.none', { community: ctx.community.name });
    const accepted = ctx.member.rulesAcceptedVersion === rules.version && ctx.member.rulesAcceptedAt;
    ctx.replyLines([
      ['rules.show', { community: ctx.community.name, version: rules.version, text: rules.text }],
      accepted
        ? ['rules.accepted', { date: formatDate(ctx.language, accepted, ctx.community.timezone) }]
        : ['rules.askAccept'],
    ]);
  },
};

export const acceptCommand: Command = {
  name: 'accept',
  words: { en: ['accept', 'agree'], nl: ['akkoord', 'accepteer'] },
  help: ['help.accept'],
  async run(ctx) {
    const version = ctx.community.rulesVersion;
    if (version === 0) return ctx.reply('accept.none');
    if (ctx.member.rulesAcceptedVersion === version) return ctx.reply('accept.already', { version });
    await ctx.tx
      .update(members)
      .set({ rulesAcceptedVersion: version, rulesAcceptedAt: ctx.now, updatedAt: ctx.now })
      .where(eq(members.id, ctx.member.id));
    ctx.reply('accept.done', { name: ctx.member.displayName, version });
  },
};

const PROFILE_FIELDS: Record<string, 'name' | 'organisation' | 'language'> = {
  name: 'name',
  naam: 'name',
  organisation: 'organisation',
  organization: 'organisation',
  organisatie: 'organisation',
  org: 'organisation',
  language: 'language',
  lang: 'language',
  taal: 'language',
};

export const profileCommand: Command = {
  name: 'profile',
  words: { en: ['profile', 'me'], nl: ['profiel', 'ik'] },
  help: ['help.profile', 'help.profile.name', 'help.profile.organisation', 'help.profile.language'],
  async run(ctx, args) {
    if (!args) return showProfile(ctx);
    const [, word = '', value = ''] = /^(\S+)\s*([\s\S]*)$/.exec(args) ?? [];
    const field = PROFILE_FIELDS[word.toLowerCase()];
    if (field === 'name') return setName(ctx, value.trim());
    if (field === 'organisation') return setOrganisation(ctx, value.trim());
    if (field === 'language') return setLanguage(ctx, value.trim().toLowerCase());
    ctx.reply('profile.usage');
  },
};

async function showProfile(ctx: CommandContext) {
  const { member, community, language } = ctx;
  const [organisation] = member.organisationId
    ? await ctx.tx
        .select({ name: organisations.name })
        .from(organisations)
        .where(eq(organisations.id, member.organisationId))
    : [];
  const rules =
    community.rulesVersion === 0
      ? ctx.t('profile.rules.none')
      : member.rulesAcceptedVersion === community.rulesVersion
        ? ctx.t('profile.rules.accepted', { version: community.rulesVersion })
        : ctx.t('profile.rules.pending');
  ctx.reply('profile.show', {
    community: community.name,
    name: member.displayName,
    organisation: organisation?.name ?? ctx.t('profile.none'),
    role: ctx.t(`role.${member.role}`),
    language: ctx.t(`language.${member.language ?? language}`),
    rules,
  });
}

async function setName(ctx: CommandContext, name: string) {
  if (!name || name.length > NAME_MAX) return ctx.reply('profile.name.invalid', { max: NAME_MAX });
  await ctx.tx
    .update(members)
    .set({ displayName: name, updatedAt: ctx.now })
    .where(eq(members.id, ctx.member.id));
  ctx.reply('profile.name.set', { name });
}

async function setOrganisation(ctx: CommandContext, name: string) {
  const all = await ctx.tx
    .select({ id: organisations.id, name: organisations.name })
    .from(organisations)
    .where(eq(organisations.communityId, ctx.community.id))
    .orderBy(asc(organisations.name));
  if (all.length === 0) return ctx.reply('profile.organisation.empty', { community: ctx.community.name });
  const wanted = name.toLocaleLowerCase();
  const exact = all.find((o) => o.name.toLocaleLowerCase() === wanted);
  const prefixed = all.filter((o) => o.name.toLocaleLowerCase().startsWith(wanted));
  const found = exact ?? (wanted && prefixed.length === 1 ? prefixed[0] : undefined);
  if (!found) {
    return ctx.reply('profile.organisation.unknown', { name, list: all.map((o) => o.name).join(', ') });
  }
  await ctx.tx
    .update(members)
    .set({ organisationId: found.id, updatedAt: ctx.now })
    .where(eq(members.id, ctx.member.id));
  ctx.reply('profile.organisation.set', { organisation: found.name });
}

async function setLanguage(ctx: CommandContext, value: string) {
  if (!(LANGUAGES as readonly string[]).includes(value)) return ctx.reply('profile.language.invalid');
  const language = value as Language;
  await ctx.tx
    .update(members)
    .set({ language, updatedAt: ctx.now })
    .where(eq(members.id, ctx.member.id));
  // Confirm in the language just chosen: that is the proof it worked.
  ctx.language = language;
  ctx.reply('profile.language.set');
}
