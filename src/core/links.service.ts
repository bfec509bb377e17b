import { randomInt } from 'node:crypto';
import { and, eq, gt, isNull } from 'drizzle-orm';
import type { Db, Tx } from '../db/client.js';
import { communities, identities, linkCodes, members, spaces, type Community, type Space } from '../db/schema/index.js';
import { requireExistingCommunity, type Actor } from './access.js';
import type { ChannelName } from './channel.js';
import { isUniqueViolation } from './errors.js';
import { hashToken } from './tokens.service.js';

/** How long a link code works. */
export const LINK_CODE_TTL_MS = 7 * 24 * 60 * 60_000;

// No 0/O, 1/I/L: read aloud or typed on a phone, they get confused.
const ALPHABET = 'ABCDEFGHJKMNPQRSTUVWXYZ23456789';

/** A code like `K7QX-M2TB`: 40 bits, easy to type on a phone. */
function newCode(): string {
  const chars = Array.from({ length: 8 }, () => ALPHABET[randomInt(ALPHABET.length)]!);
  return `${chars.slice(0, 4).join('')}-${chars.slice(4).join('')}`;
}

/** Codes are typed by people: case and the dash do not matter. */
const normalise = (code: string) => code.toUpperCase().replace(/[^A-Z0-9]/g, '');

/** True when the text looks like a link code rather than a community slug. */
export const looksLikeCode = (text: string) => /^[A-Za-z0-9]{4}-?[A-Za-z0-9]{4}$/.test(text);

export function createLinksService(db: Db, clock: () => Date) {
  return {
    /** A one-time code that links the group or channel it is sent in to this community. */
    async createCode(actor: Actor, communityId: string): Promise<{ code: string; expiresAt: Date }> {
      await requireExistingCommunity(db, actor, communityId);
      const code = newCode();
      const expiresAt = new Date(clock().getTime() + LINK_CODE_TTL_MS);
      await db.insert(linkCodes).values({ communityId, hash: hashToken(normalise(code)), expiresAt });
      return { code, expiresAt };
    },
  };
}

export type LinkOutcome =
  | { kind: 'linked'; community: Community; space: Space }
  | { kind: 'refused' }
  | { kind: 'bad-code' }
  | { kind: 'taken' };

/**
 * Links the conversation a message came from to the community `arg` names: a slug (the sender
 * must be a manager of it) or a one-time code. The same answer for a slug that does not exist
 * and one the sender may not use, so nobody learns which communities there are.
 */
export async function linkConversation(
  tx: Tx,
  input: { channel: ChannelName; externalId: string; name: string; senderExternalId: string; arg: string; now: Date },
): Promise<LinkOutcome> {
  let community: Community | undefined;
  let codeId: string | undefined;
  // A code first: a slug may look like one ("abcd-efgh"), so a miss falls back to the slug.
  const byCode = looksLikeCode(input.arg);
  if (byCode) {
    const [row] = await tx
      .select({ code: linkCodes, community: communities })
      .from(linkCodes)
      .innerJoin(communities, eq(communities.id, linkCodes.communityId))
      .where(and(eq(linkCodes.hash, hashToken(normalise(input.arg))), isNull(linkCodes.usedAt), gt(linkCodes.expiresAt, input.now)));
    if (row) ({ community, code: { id: codeId } } = row);
  }
  if (!community) {
    const [row] = await tx
      .select({ community: communities })
      .from(communities)
      .innerJoin(identities, and(eq(identities.communityId, communities.id), eq(identities.channel, input.channel), eq(identities.externalId, input.senderExternalId)))
      .innerJoin(members, and(eq(members.id, identities.memberId), eq(members.role, 'manager')))
      .where(eq(communities.slug, input.arg.toLowerCase()));
    if (!row) return { kind: byCode ? 'bad-code' : 'refused' };
    community = row.community;
  }
  // A savepoint: a lost race (the conversation linked meanwhile) must not spoil the batch.
  try {
    const space = await tx.transaction(async (sp) => {
      const [created] = await sp
        .insert(spaces)
        .values({ communityId: community.id, channel: input.channel, externalId: input.externalId, name: input.name, createdAt: input.now, updatedAt: input.now })
        .returning();
      return created!;
    });
    if (codeId) await tx.update(linkCodes).set({ usedAt: input.now, spaceId: space.id, updatedAt: input.now }).where(eq(linkCodes.id, codeId));
    return { kind: 'linked', community, space };
  } catch (error) {
    if (isUniqueViolation(error)) return { kind: 'taken' };
    throw error;
  }
}
