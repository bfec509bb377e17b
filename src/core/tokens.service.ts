import { createHash, randomBytes } from 'node:crypto';
import { and, desc, eq, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/client.js';
import { apiTokens, communities, type ApiToken } from '../db/schema/index.js';
import { requireAdmin, type Actor } from './access.js';
import { notFound } from './errors.js';
import { pageOf, type Page, type PageQuery } from './page.js';

/** SHA-256 suffices: tokens are 256 random bits, not passwords a person chose. */
export const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

/** A new token: a recognisable prefix (secret scanners know it) and 256 random bits. */
export const newToken = () => `samen_${randomBytes(32).toString('base64url')}`;

export type TokenView = Omit<ApiToken, 'hash'>;

const view = ({ hash: _hash, ...rest }: ApiToken): TokenView => rest;

export function createTokensService(db: Db, clock: () => Date) {
  return {
    /** The actor a bearer token stands for, or null when it is unknown or revoked. */
    async authenticate(token: string): Promise<Actor | null> {
      const [row] = await db
        .select({ id: apiTokens.id, communityId: apiTokens.communityId, lastUsedAt: apiTokens.lastUsedAt })
        .from(apiTokens)
        .where(and(eq(apiTokens.hash, hashToken(token)), isNull(apiTokens.revokedAt)));
      if (!row) return null;
      const now = clock();
      // Record use at most once a minute: a write per request would cost more than the request.
      if (!row.lastUsedAt || now.getTime() - row.lastUsedAt.getTime() > 60_000) {
        await db.update(apiTokens).set({ lastUsedAt: now }).where(eq(apiTokens.id, row.id));
      }
      return row.communityId ? { kind: 'manager', communityId: row.communityId } : { kind: 'admin' };
    },

    /** Issues a token; the secret is in the result only, never stored. */
    async issue(
      actor: Actor,
      input: { name: string; communityId?: string | null },
    ): Promise<TokenView & { token: string }> {
      requireAdmin(actor);
      if (input.communityId) {
        const [c] = await db.select({ id: communities.id }).from(communities).where(eq(communities.id, input.communityId));
        if (!c) throw notFound('Community');
      }
      const token = newToken();
      const [row] = await db
        .insert(apiTokens)
        .values({ name: input.name.trim(), hash: hashToken(token), communityId: input.communityId ?? null })
        .returning();
      return { ...view(row!), token };
    },

    async list(actor: Actor, query: PageQuery): Promise<Page<TokenView>> {
      requireAdmin(actor);
      const page = await pageOf(db, apiTokens, undefined, [desc(apiTokens.createdAt), desc(apiTokens.id)], query);
      return { ...page, items: page.items.map(view) };
    },

    async revoke(actor: Actor, id: string): Promise<void> {
      requireAdmin(actor);
      const rows = await db
        .update(apiTokens)
        .set({ revokedAt: clock() })
        .where(and(eq(apiTokens.id, id), isNull(apiTokens.revokedAt)))
        .returning({ id: apiTokens.id });
      if (rows.length === 0) throw notFound('Token');
    },

    /**
     * Makes sure someone can administer the server. With ADMIN_TOKEN set, that token is kept
     * (as its hash). Without it, and with no admin token yet, one is generated and returned so
     * the caller can show it once.
     */
    async bootstrap(adminToken: string | null): Promise<{ generated: string | null }> {
      if (adminToken) {
        const hash = hashToken(adminToken);
        // A changed ADMIN_TOKEN replaces the old one: the previous value stops working.
        await db
          .update(apiTokens)
          .set({ revokedAt: clock() })
          .where(and(eq(apiTokens.name, 'ADMIN_TOKEN'), ne(apiTokens.hash, hash), isNull(apiTokens.revokedAt)));
        await db
          .insert(apiTokens)
          .values({ name: 'ADMIN_TOKEN', hash })
          .onConflictDoNothing({ target: apiTokens.hash });
        return { generated: null };
      }
      const [existing] = await db
        .select({ id: apiTokens.id })
        .from(apiTokens)
        .where(and(isNull(apiTokens.communityId), isNull(apiTokens.revokedAt)))
        .limit(1);
      if (existing) return { generated: null };
      const token = newToken();
      await db.insert(apiTokens).values({ name: 'generated at first start', hash: hashToken(token) });
      return { generated: token };
    },
  };
}

export type TokensService = ReturnType<typeof createTokensService>;
