import type { Tx } from '../../db/client.js';
import type { Community, Decision, RuleFigures, Survey } from '../../db/schema/index.js';
import { t } from '../i18n/index.js';
import { broadcast } from '../outbox/broadcast.js';

const percent = (share: number) => Math.round(share * 1000) / 10;

/** One condition of the rule with its figures: "✓ Question 1, answer 1: 7 of 10 (70%), at least 60% needed". */
function ruleLine(language: Community['language'], r: RuleFigures): string {
  const need =
    r.atLeastShare !== undefined && r.atLeastCount !== undefined
      ? t(language, 'surveys.decision.needBoth', { share: percent(r.atLeastShare), count: r.atLeastCount })
      : r.atLeastShare !== undefined
        ? t(language, 'surveys.decision.needShare', { share: percent(r.atLeastShare) })
        : t(language, 'surveys.decision.needCount', { count: r.atLeastCount ?? 0 });
  return t(language, 'surveys.decision.rule', { met: r.met ? '✓' : '✗', question: r.question, option: r.option, count: r.count, answered: r.answered, share: percent(r.share), need });
}

/**
 * Announces a recorded go/no-go in every group and channel of the community, in its language,
 * with the figures (seed 002: the go/no-go is the community's moment, not only the manager's).
 */
export async function announceDecision(tx: Tx, community: Community, survey: Survey, decision: Decision, now: Date): Promise<number> {
  const language = community.language;
  const text = t(language, decision.outcome === 'go' ? 'surveys.decision.go' : 'surveys.decision.nogo', {
    title: survey.title,
    figures: decision.figures.map((r) => ruleLine(language, r)).join('\n'),
    community: community.name,
    phase: t(language, `surveys.phase.${decision.phaseAfter}`),
  });
  return broadcast(tx, community.id, `decision:${decision.id}`, { text }, now);
}
