import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import {
  DECLARATION_MAX_CHARS,
  declarationSignatures,
  declarations,
  declarationVersions,
  members,
  organisations,
  type Community,
  type Declaration,
  type DeclarationSignature,
  type DeclarationVersion,
  type Language,
  type Organisation,
  type SignatureVia,
} from '../../db/schema/index.js';
import { CoreError } from '../errors.js';
import { t, type MessageKey } from '../i18n/index.js';
import { directAddressOf, directMessageTo } from '../outbox/direct.js';
import { broadcast } from '../outbox/broadcast.js';
import { enqueue, type OutboxMessage } from '../outbox/outbox.service.js';

/**
 * The intent declaration (intentieverklaring, seed 000): one per community, versioned; each
 * participating organisation's steering-group representative signs the current version; when
 * the last one signs, every space gets the toast. Everything here runs in the caller's transaction.
 */

/** How often representatives who have not signed are reminded. */
export const DECLARATION_REMINDER_INTERVAL_MS = 7 * 24 * 60 * 60_000;

/** Characters as a reader counts them (an emoji is one), not UTF-16 code units. */
export const charCount = (text: string) => [...text].length;

export interface SignatureView {
  organisationId: string;
  organisation: string;
  memberId: string | null;
  name: string;
  version: number;
  via: SignatureVia;
  signedAt: Date;
}

export interface UnsignedView {
  organisationId: string;
  organisation: string;
  representativeId: string | null;
  representative: string | null;
}

/** The current version with who signed it and who has not. */
export interface DeclarationView {
  communityId: string;
  version: number;
  text: string;
  publishedAt: Date;
  /** Every participating organisation signed this version. */
  complete: boolean;
  celebratedAt: Date | null;
  signed: SignatureView[];
  unsigned: UnsignedView[];
}

/** Refuses a text longer than one A4 page, naming the limit and the length. */
export function checkLength(text: string): void {
  const length = charCount(text);
  if (length <= DECLARATION_MAX_CHARS) return;
  const message = `The declaration is ${length} characters long; at most ${DECLARATION_MAX_CHARS} fit on one A4 page`;
  throw new CoreError('invalid', message, { limit: DECLARATION_MAX_CHARS, length }, {
    code: 'declaration-too-long',
    errors: [{ path: 'body/text', message: `is ${length} characters; the limit is ${DECLARATION_MAX_CHARS}` }],
  });
}

/** The declaration row and its current version; `lock` holds the row until the transaction ends. */
export async function currentDeclaration(
  tx: Tx,
  communityId: string,
  lock = false,
): Promise<{ declaration: Declaration; current: DeclarationVersion } | null> {
  const query = tx.select().from(declarations).where(eq(declarations.communityId, communityId));
  const [declaration] = lock ? await query.for('update') : await query;
  if (!declaration) return null;
  const [current] = await tx
    .select()
    .from(declarationVersions)
    .where(and(eq(declarationVersions.communityId, communityId), eq(declarationVersions.version, declaration.version)));
  return { declaration, current: current! };
}

/** Who signed the current version and which organisations have not (yet). */
export async function declarationView(tx: Tx, communityId: string): Promise<DeclarationView | null> {
  const found = await currentDeclaration(tx, communityId);
  if (!found) return null;
  const { current } = found;
  const orgs = await tx
    .select({ org: organisations, representative: members.displayName })
    .from(organisations)
    .leftJoin(members, eq(members.id, organisations.representativeId))
    .where(eq(organisations.communityId, communityId))
    .orderBy(asc(organisations.name));
  const signatures = await signaturesOf(tx, communityId, current.version);
  const byOrg = new Map(signatures.map((s) => [s.organisationId, s]));
  const signed: SignatureView[] = [];
  const unsigned: UnsignedView[] = [];
  for (const { org, representative } of orgs) {
    const s = byOrg.get(org.id);
    if (s) signed.push({ organisationId: org.id, organisation: org.name, memberId: s.memberId, name: s.signerName, version: s.version, via: s.via, signedAt: s.signedAt });
    else unsigned.push({ organisationId: org.id, organisation: org.name, representativeId: org.representativeId, representative });
  }
  return {
    communityId,
    version: current.version,
    text: current.text,
    publishedAt: current.publishedAt,
    complete: orgs.length > 0 && unsigned.length === 0,
    celebratedAt: current.celebratedAt,
    signed,
    unsigned,
  };
}

const signaturesOf = (tx: Tx, communityId: string, version: number): Promise<DeclarationSignature[]> =>
  tx
    .select()
    .from(declarationSignatures)
    .where(and(eq(declarationSignatures.communityId, communityId), eq(declarationSignatures.version, version)));

/**
 * Makes `text` the next version (the same text as now changes nothing), tells every space, and
 * asks each representative in a direct chat to sign it. Returns whether a version was made.
 */
export async function publishDeclaration(tx: Tx, community: Community, text: string, now: Date): Promise<boolean> {
  checkLength(text);
  const found = await currentDeclaration(tx, community.id, true);
  if (found?.current.text === text) return false;
  const version = (found?.declaration.version ?? 0) + 1;
  await tx.insert(declarationVersions).values({ communityId: community.id, version, text, publishedAt: now });
  await tx
    .insert(declarations)
    .values({ communityId: community.id, version, remindedAt: now, createdAt: now, updatedAt: now })
    .onConflictDoUpdate({ target: declarations.communityId, set: { version, remindedAt: now, updatedAt: now } });
  const key = version === 1 ? 'declaration.published.first' : 'declaration.published.changed';
  await broadcast(tx, community.id, `declaration:${community.id}:v${version}`, { text: t(community.language, key, { community: community.name, version, text }) }, now);
  await remindRepresentatives(tx, community, version, 'declaration.ask', `declaration:${community.id}:v${version}:ask`, now);
  return true;
}

/**
 * Writes to the representatives of the organisations that have not signed `version`, each in
 * their own language. Returns how many were written to and how many could not be reached.
 */
export async function remindRepresentatives(
  tx: Tx,
  community: Community,
  version: number,
  key: Extract<MessageKey, 'declaration.ask' | 'declaration.reminder'>,
  idempotencyKey: string,
  now: Date,
): Promise<{ reminded: number; notReachable: number; withoutRepresentative: number }> {
  const signed = new Set((await signaturesOf(tx, community.id, version)).map((s) => s.organisationId));
  const orgs = (await tx
    .select({ org: organisations, member: members })
    .from(organisations)
    .leftJoin(members, eq(members.id, organisations.representativeId))
    .where(eq(organisations.communityId, community.id))
    .orderBy(asc(organisations.name))).filter(({ org }) => !signed.has(org.id));
  const messages: OutboxMessage[] = [];
  let notReachable = 0;
  for (const { org, member } of orgs) {
    if (!member) continue;
    const address = await directAddressOf(tx, member.id);
    if (!address) {
      notReachable++;
      continue;
    }
    const language: Language = member.language ?? community.language;
    const text = t(language, key, { name: member.displayName, version, community: community.name, organisation: org.name });
    // Teams shows a button that signs; WhatsApp shows the text, which says to send `sign`.
    const sign = [{ label: t(language, 'declaration.button.sign'), command: 'sign' }];
    messages.push(directMessageTo(address, { communityId: community.id, memberId: member.id }, text, `${idempotencyKey}:${org.id}`, now, sign));
  }
  await enqueue(tx, messages);
  return { reminded: messages.length, notReachable, withoutRepresentative: orgs.filter((o) => !o.member).length };
}

export type SignOutcome =
  | { kind: 'signed'; signature: DeclarationSignature; signed: number; total: number }
  | { kind: 'already'; signature: DeclarationSignature; signed: number; total: number };

/**
 * Records `organisation`'s signature under the current version (a second time changes nothing),
 * and when it was the last one, posts the toast to every space — once per version. The
 * declaration row is locked first, so of two representatives signing at once, the second sees
 * the first's signature and exactly one of them completes it.
 */
export async function signDeclaration(
  tx: Tx,
  community: Community,
  organisation: Organisation,
  signer: { memberId: string | null; name: string },
  via: SignatureVia,
  now: Date,
): Promise<SignOutcome | null> {
  const found = await currentDeclaration(tx, community.id, true);
  if (!found) return null;
  const version = found.declaration.version;
  const [inserted] = await tx
    .insert(declarationSignatures)
    .values({ communityId: community.id, version, organisationId: organisation.id, memberId: signer.memberId, signerName: signer.name, via, signedAt: now })
    .onConflictDoNothing()
    .returning();
  const signatures = await signaturesOf(tx, community.id, version);
  const orgs = await tx.select({ id: organisations.id, name: organisations.name }).from(organisations).where(eq(organisations.communityId, community.id)).orderBy(asc(organisations.name));
  const signedIds = new Set(signatures.map((s) => s.organisationId));
  const signed = orgs.filter((o) => signedIds.has(o.id)).length;
  if (inserted && signed === orgs.length) await celebrate(tx, community, version, orgs.map((o) => o.name), now);
  const signature = inserted ?? signatures.find((s) => s.organisationId === organisation.id)!;
  return { kind: inserted ? 'signed' : 'already', signature, signed, total: orgs.length };
}

/** The toast (seed 000: "organiseer een gezamenlijke toast"), once per version. */
async function celebrate(tx: Tx, community: Community, version: number, names: string[], now: Date) {
  const [claimed] = await tx
    .update(declarationVersions)
    .set({ celebratedAt: now })
    .where(and(eq(declarationVersions.communityId, community.id), eq(declarationVersions.version, version), isNull(declarationVersions.celebratedAt)))
    .returning({ id: declarationVersions.id });
  if (!claimed) return;
  const text = t(community.language, 'declaration.toast', { community: community.name, organisations: names.join(', ') });
  await broadcast(tx, community.id, `declaration:${community.id}:v${version}:toast`, { text }, now);
}

/** The organisations of a community that `memberId` represents in the steering group. */
export const representedBy = (tx: Tx, communityId: string, memberId: string): Promise<Organisation[]> =>
  tx
    .select()
    .from(organisations)
    .where(and(eq(organisations.communityId, communityId), eq(organisations.representativeId, memberId)))
    .orderBy(asc(organisations.name));

/** The representatives of a community's organisations, for telling someone who may sign. */
export async function representatives(tx: Tx, communityId: string): Promise<{ name: string; organisation: string }[]> {
  const rows = await tx
    .select({ name: members.displayName, organisation: organisations.name })
    .from(organisations)
    .innerJoin(members, eq(members.id, organisations.representativeId))
    .where(eq(organisations.communityId, communityId))
    .orderBy(asc(organisations.name));
  return rows;
}
