import type { Tx } from '../../db/client.js';
import type { Community, Language, Member } from '../../db/schema/index.js';
import { currentRules } from '../communities.service.js';
import { t } from '../i18n/index.js';

/** How long after first contact the one reminder to accept the house rules may come. */
export const RULES_REMINDER_AFTER_MS = 24 * 60 * 60_000;

/** Commands that are themselves about the house rules: no welcome or reminder repeats them. */
const ABOUT_RULES = new Set(['rules', 'accept']);

/** A first message that is itself about the house rules needs no welcome showing them too. */
export const welcomeWanted = (command: string | undefined) => !command || !ABOUT_RULES.has(command);

/**
 * The welcome for someone whose first message the bot sees: the purpose and the house rules.
 * Null when the community has stated neither yet: then there is nothing to welcome them with that
 * `help` would not say, and a bare greeting to each first message would only fill the group.
 */
export async function firstContactWelcome(tx: Tx, community: Community, member: Member, language: Language): Promise<string[] | null> {
  if (community.rulesVersion === 0 && !community.purpose.trim()) return null;
  const rules = await currentRules(tx, community);
  return [
    t(language, 'welcome.firstContact', { community: community.name, name: member.displayName }),
    ...(community.purpose.trim() ? [t(language, 'welcome.purpose', { purpose: community.purpose.trim() })] : []),
    '',
    rules ? t(language, 'welcome.rules', { version: rules.version, text: rules.text }) : t(language, 'welcome.help'),
  ];
}

/**
 * Whether a member should be reminded, now, to accept the current house rules: they have not,
 * they were not reminded of this version yet, the welcome (or the announcement of the new
 * version) is a day old, and they are not busy with the rules right now. Once per version: the
 * bot never nags.
 */
export function dueForRulesReminder(member: Member, community: Community, now: Date, command: string | undefined): boolean {
  const version = community.rulesVersion;
  if (version === 0 || member.rulesAcceptedVersion === version) return false;
  if ((member.rulesRemindedVersion ?? 0) >= version) return false;
  if (command && ABOUT_RULES.has(command)) return false;
  return now.getTime() - member.firstSeenAt.getTime() >= RULES_REMINDER_AFTER_MS;
}
