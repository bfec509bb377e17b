import { randomBytes, randomUUID } from 'node:crypto';
import { and, asc, eq, gt, lte } from 'drizzle-orm';
import type { Db, Tx } from '../../db/client.js';
import { communities, declarations, members, organisations, type Community } from '../../db/schema/index.js';
import { requireCommunity, requireExistingCommunity, type Actor } from '../access.js';
import { invalid, notFound } from '../errors.js';
import { hashToken } from '../tokens.service.js';
import {
  DECLARATION_REMINDER_INTERVAL_MS,
  currentDeclaration,
  declarationView,
  publishDeclaration,
  remindRepresentatives,
  signDeclaration,
  type DeclarationView,
  type SignatureView,
} from './declaration.js';
import { declarationHtml } from './print.js';

/** How long a print link works. */
export const PRINT_LINK_TTL_MS = 7 * 24 * 60 * 60_000;

export interface DeclarationServiceOptions {
  /** How often unsigned representatives are reminded (default: weekly). */
  reminderIntervalMs?: number;
}

/** The intent declaration through the API; `onQueued` wakes the dispatcher after a commit that queued messages. */
export function createDeclarationService(db: Db, clock: () => Date, onQueued: () => void, options: DeclarationServiceOptions = {}) {
  const interval = options.reminderIntervalMs ?? DECLARATION_REMINDER_INTERVAL_MS;

  async function community(tx: Tx, actor: Actor, communityId: string): Promise<Community> {
    requireCommunity(actor, communityId);
    const [row] = await tx.select().from(communities).where(eq(communities.id, communityId));
    if (!row) throw notFound('Community');
    return row;
  }

  async function view(tx: Tx, communityId: string): Promise<DeclarationView> {
    const found = await declarationView(tx, communityId);
    if (!found) throw notFound('Declaration');
    return found;
  }

  return {
    /** A new version of the text (the current text again changes nothing); representatives are asked to sign it. */
    async publish(actor: Actor, communityId: string, text: string): Promise<DeclarationView & { created: boolean }> {
      const result = await db.transaction(async (tx) => {
        const c = await community(tx, actor, communityId);
        const created = await publishDeclaration(tx, c, text.trim(), clock());
        return { ...(await view(tx, communityId)), created };
      });
      if (result.created) onQueued();
      return result;
    },

    async get(actor: Actor, communityId: string): Promise<DeclarationView> {
      await requireExistingCommunity(db, actor, communityId);
      return view(db, communityId);
    },

    /**
     * Records an organisation's signature under the current version, e.g. one given on paper:
     * by its representative unless `signedBy` names someone else. Idempotent.
     */
    async sign(actor: Actor, communityId: string, input: { organisationId: string; signedBy?: string }): Promise<{ created: boolean; signature: SignatureView; complete: boolean }> {
      const result = await db.transaction(async (tx) => {
        const c = await community(tx, actor, communityId);
        const [org] = await tx.select().from(organisations).where(and(eq(organisations.id, input.organisationId), eq(organisations.communityId, communityId)));
        if (!org) throw invalid('The organisation does not take part in this community');
        const representative = org.representativeId ? await representativeName(tx, org.representativeId) : null;
        const name = input.signedBy?.trim() || representative;
        if (!name) throw invalid('The organisation has no representative: say who signed in signedBy');
        const memberId = input.signedBy?.trim() ? null : org.representativeId;
        const outcome = await signDeclaration(tx, c, org, { memberId, name }, 'api', clock());
        if (!outcome) throw notFound('Declaration');
        const s = outcome.signature;
        return {
          created: outcome.kind === 'signed',
          complete: outcome.signed === outcome.total,
          signature: { organisationId: org.id, organisation: org.name, memberId: s.memberId, name: s.signerName, version: s.version, via: s.via, signedAt: s.signedAt },
        };
      });
      if (result.created) onQueued();
      return result;
    },

    /** Reminds the representatives who have not signed, now. */
    async remind(actor: Actor, communityId: string) {
      const result = await db.transaction(async (tx) => {
        const c = await community(tx, actor, communityId);
        const found = await currentDeclaration(tx, communityId, true);
        if (!found) throw notFound('Declaration');
        const now = clock();
        await tx.update(declarations).set({ remindedAt: now, updatedAt: now }).where(eq(declarations.communityId, communityId));
        return remindRepresentatives(tx, c, found.declaration.version, 'declaration.reminder', `declaration:${communityId}:v${found.declaration.version}:remind-now:${randomUUID()}`, now);
      });
      if (result.reminded > 0) onQueued();
      return result;
    },

    /**
     * Reminds, once per interval, the representatives of every declaration not signed by all
     * (the scheduler calls this). A declaration is claimed by moving its `remindedAt` under a
     * row lock others skip, so with several instances each round reminds once.
     */
    async remindDue(): Promise<number> {
      const now = clock();
      const sent = await db.transaction(async (tx) => {
        const due = await tx
          .select({ declaration: declarations, community: communities })
          .from(declarations)
          .innerJoin(communities, eq(communities.id, declarations.communityId))
          .where(lte(declarations.remindedAt, new Date(now.getTime() - interval)))
          .orderBy(asc(declarations.remindedAt))
          .limit(50)
          .for('update', { of: declarations, skipLocked: true });
        let total = 0;
        for (const { declaration: d, community: c } of due) {
          await tx.update(declarations).set({ remindedAt: now, updatedAt: now }).where(eq(declarations.communityId, d.communityId));
          const key = `declaration:${d.communityId}:v${d.version}:remind:${now.toISOString()}`;
          total += (await remindRepresentatives(tx, c, d.version, 'declaration.reminder', key, now)).reminded;
        }
        return total;
      });
      if (sent > 0) onQueued();
      return sent;
    },

    /** A link to the printable page that works without a bearer token, for PRINT_LINK_TTL_MS. */
    async printLink(actor: Actor, communityId: string): Promise<{ token: string; expiresAt: Date }> {
      await requireExistingCommunity(db, actor, communityId);
      const token = randomBytes(24).toString('base64url');
      const now = clock();
      const expiresAt = new Date(now.getTime() + PRINT_LINK_TTL_MS);
      const [row] = await db
        .update(declarations)
        .set({ printTokenHash: hashToken(token), printTokenExpiresAt: expiresAt, updatedAt: now })
        .where(eq(declarations.communityId, communityId))
        .returning({ id: declarations.communityId });
      if (!row) throw notFound('Declaration');
      return { token, expiresAt };
    },

    /** The printable HTML page, for a manager's bearer token or a print link's secret. */
    async printPage(who: { actor: Actor } | { token: string }, communityId: string): Promise<string> {
      if ('token' in who) {
        const [row] = await db
          .select({ id: declarations.communityId })
          .from(declarations)
          .where(and(eq(declarations.printTokenHash, hashToken(who.token)), eq(declarations.communityId, communityId), gt(declarations.printTokenExpiresAt, clock())));
        // The same answer for a wrong, expired or other community's secret: a probe learns nothing.
        if (!row) throw notFound('Declaration');
      } else {
        requireCommunity(who.actor, communityId);
      }
      const [c] = await db.select().from(communities).where(eq(communities.id, communityId));
      if (!c) throw notFound('Community');
      return declarationHtml(await view(db, communityId), c);
    },
  };
}

async function representativeName(tx: Tx, memberId: string): Promise<string | null> {
  const [row] = await tx.select({ name: members.displayName }).from(members).where(eq(members.id, memberId));
  return row?.name ?? null;
}

export type DeclarationService = ReturnType<typeof createDeclarationService>;
