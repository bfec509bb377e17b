import { and, asc, desc, eq, inArray } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import {
  communities,
  houseRules,
  type Community,
  type HouseRules,
  type Language,
  type Phase,
} from '../db/schema/index.js';
import { requireAdmin, requireCommunity, requireExistingCommunity, visibleCommunities, type Actor } from './access.js';
import { conflict, invalid, isUniqueViolation, notFound } from './errors.js';
import { t } from './i18n/index.js';
import { bridgeOf, configureBridge, type BridgeView } from './bridge/bridge.service.js';
import { replanRecurring } from './calendar/calendar.service.js';
import { broadcast } from './outbox/broadcast.js';
import { pageOf, type Page, type PageQuery } from './page.js';

export interface CommunityInput {
  name: string;
  slug: string;
  purpose?: string;
  themes?: string[];
  language?: Language;
  timezone?: string;
  phase?: Phase;
  rules?: string;
  /** The bridge on (every space hears every other) or off. */
  bridge?: boolean;
}
export type CommunityPatch = Partial<CommunityInput>;

/** A community as the API shows it: with its current house rules. */
export interface CommunityView extends Community {
  rules: { version: number; text: string; adoptedAt: Date } | null;
  bridge: BridgeView;
}

/**
 * Makes `text` the next version of the house rules, and tells every group and channel: members
 * are asked to accept the new version (the bot reminds each of them once, see inbound).
 */
export async function adoptRules(tx: Tx, community: Community, text: string, now: Date): Promise<Community> {
  const version = community.rulesVersion + 1;
  await tx.insert(houseRules).values({ communityId: community.id, version, text, adoptedAt: now });
  const [row] = await tx
    .update(communities)
    .set({ rulesVersion: version, updatedAt: now })
    .where(eq(communities.id, community.id))
    .returning();
  const key = version === 1 ? 'rules.announce.first' : 'rules.announce.changed';
  await broadcast(tx, community.id, `rules:${community.id}:v${version}`, { text: t(community.language, key, { community: community.name, version, text }) }, now);
  return row!;
}

/** Communities through the API; `onQueued` wakes the dispatcher after a commit that queued messages. */
export function createCommunitiesService(db: Db, clock: () => Date = () => new Date(), onQueued: () => void = () => {}) {
  async function view(tx: Tx, community: Community): Promise<CommunityView> {
    const rules = await currentRules(tx, community);
    return {
      ...community,
      rules: rules && { version: rules.version, text: rules.text, adoptedAt: rules.adoptedAt },
      bridge: await bridgeOf(tx, community.id),
    };
  }

  async function load(tx: Tx, id: string): Promise<Community> {
    const [row] = await tx.select().from(communities).where(eq(communities.id, id));
    if (!row) throw notFound('Community');
    return row;
  }


  return {
    async create(actor: Actor, input: CommunityInput): Promise<CommunityView> {
      requireAdmin(actor);
      checkTimezone(input.timezone);
      const { rules, bridge, ...fields } = { ...input, name: input.name.trim() };
      try {
        return await db.transaction(async (tx) => {
          let [community] = await tx.insert(communities).values(fields).returning();
          if (rules?.trim()) community = await adoptRules(tx, community!, rules.trim(), clock());
          if (bridge) await configureBridge(tx, community!.id, { enabled: true }, clock());
          return view(tx, community!);
        });
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`The slug "${input.slug}" is taken`);
        throw error;
      }
    },

    async list(actor: Actor, query: PageQuery): Promise<Page<CommunityView>> {
      const ids = visibleCommunities(actor);
      const where = ids ? inArray(communities.id, ids) : undefined;
      const page = await pageOf(db, communities, where, [asc(communities.name), asc(communities.id)], query);
      return { ...page, items: await Promise.all(page.items.map((c) => view(db, c))) };
    },

    async get(actor: Actor, id: string): Promise<CommunityView> {
      requireCommunity(actor, id);
      return view(db, await load(db, id));
    },

    /**
     * Changes fields; new `rules` text becomes the next house-rules version, and a new `timezone`
     * re-plans the recurring calendar items.
     */
    async update(actor: Actor, id: string, patch: CommunityPatch): Promise<CommunityView> {
      requireCommunity(actor, id);
      checkTimezone(patch.timezone);
      const { rules, bridge, ...fields } = { ...patch, ...(patch.name === undefined ? {} : { name: patch.name.trim() }) };
      let announced = false;
      try {
        const result = await db.transaction(async (tx) => {
          let community = await load(tx, id);
          // Recurring calendar items run at wall-clock times in the community's timezone.
          if (fields.timezone !== undefined) await replanRecurring(tx, id, { from: community.timezone, to: fields.timezone }, clock());
          if (Object.keys(fields).length > 0) {
            const [updated] = await tx
              .update(communities)
              .set({ ...fields, updatedAt: clock() })
              .where(eq(communities.id, id))
              .returning();
            community = updated!;
          }
          if (bridge !== undefined) await configureBridge(tx, id, { enabled: bridge }, clock());
          const current = await currentRules(tx, community);
          if (rules !== undefined && rules.trim() !== (current?.text ?? '')) {
            if (!rules.trim()) throw invalid('House rules cannot be emptied; write a new version');
            community = await adoptRules(tx, community, rules.trim(), clock());
            announced = true;
          }
          return view(tx, community);
        });
        if (announced) onQueued();
        return result;
      } catch (error) {
        if (isUniqueViolation(error)) throw conflict(`The slug "${patch.slug}" is taken`);
        throw error;
      }
    },

    /** Every version of the house rules, newest first. */
    async rulesHistory(actor: Actor, id: string, query: PageQuery): Promise<Page<HouseRules>> {
      await requireExistingCommunity(db, actor, id);
      return pageOf(db, houseRules, eq(houseRules.communityId, id), [desc(houseRules.version)], query);
    },
  };
}

export type CommunitiesService = ReturnType<typeof createCommunitiesService>;

/** The house rules members are asked to accept now, or null while there are none. */
export async function currentRules(tx: Tx, community: Community): Promise<HouseRules | null> {
  if (community.rulesVersion === 0) return null;
  const [row] = await tx
    .select()
    .from(houseRules)
    .where(
      and(eq(houseRules.communityId, community.id), eq(houseRules.version, community.rulesVersion)),
    );
  return row ?? null;
}

function checkTimezone(timezone: string | undefined) {
  if (timezone === undefined) return;
  try {
    new Intl.DateTimeFormat('en', { timeZone: timezone });
  } catch {
    throw invalid(`Unknown timezone "${timezone}"; use an IANA name such as Europe/Amsterdam`);
  }
}
