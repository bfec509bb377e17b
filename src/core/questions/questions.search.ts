import { sql } from 'drizzle-orm';
import type { Tx } from '../../db/client.js';
import { paging, type Page, type PageQuery } from '../page.js';

/** Longest search text; longer is refused over REST and cut in chat. */
export const SEARCH_MAX = 200;

/** One question found, with the passage that matched best (the question itself or one of its answers). */
export interface KnowledgeHit {
  questionId: string;
  number: number;
  question: string;
  solved: boolean;
  /** The answer that matched best, or null when the question's own text did. */
  answerNumber: number | null;
  /** ts_rank of the best passage (answers count for a little less than the question). */
  rank: number;
  /** The passage around the matching words; each matched word between the two marks. */
  snippet: string;
}

/**
 * Marks ts_headline puts around matched words: private-use characters no member types, so the
 * caller can escape the text and then mark (`<mark>` for the API, `*bold*` for chat).
 */
export const HIT_START = '\uE000';
export const HIT_STOP = '\uE001';
const MARKS = `StartSel="${HIT_START}", StopSel="${HIT_STOP}"`;
/** A text this short is shown whole; a longer one as up to two passages around the matches. */
const WHOLE_UP_TO = 240;
const WHOLE = `${MARKS}, HighlightAll=true`;
const PASSAGES = `${MARKS}, MaxWords=30, MinWords=10, MaxFragments=2, FragmentDelimiter=" … "`;

/** The words of a search, for the any-word fallback: letters and digits only, so nothing is syntax. */
const wordsOf = (query: string) => query.match(/[\p{L}\p{N}]+/gu)?.slice(0, 20) ?? [];

/**
 * Full-text search over a community's questions and answers, in the language each was indexed
 * in (the generated `search` columns: 'dutch' for nl, 'english' for en), ranked with ts_rank and
 * marked with ts_headline. All the words first (web-search syntax: "quotes", -not, or); when that
 * finds nothing, any of them. One result per question, best first.
 */
export async function searchKnowledge(tx: Tx, communityId: string, text: string, query: PageQuery): Promise<Page<KnowledgeHit>> {
  const { limit, offset } = paging(query);
  const q = text.trim().slice(0, SEARCH_MAX);
  const all = await run(tx, communityId, q, limit, offset);
  if (all.total > 0 || offset > 0) return { ...all, limit, offset };
  const words = wordsOf(q);
  if (words.length < 2) return { ...all, limit, offset };
  return { ...(await run(tx, communityId, words.join(' or '), limit, offset)), limit, offset };
}

interface Row extends Record<string, unknown> {
  question_id: string;
  number: number;
  question: string;
  solved: boolean;
  answer_number: number | null;
  rank: number;
  snippet: string;
  total: number;
}

async function run(tx: Tx, communityId: string, q: string, limit: number, offset: number): Promise<{ items: KnowledgeHit[]; total: number }> {
  // Each row is matched with the query in its own language: a community that changed language
  // keeps its older questions findable. The two @@ tests each use the GIN index.
  const result = await tx.execute<Row>(sql`
    with query as (
      select websearch_to_tsquery('dutch'::regconfig, ${q}) as nl, websearch_to_tsquery('english'::regconfig, ${q}) as en
    ),
    hits as (
      select qu.id as question_id, null::uuid as answer_id,
             ts_rank(qu.search, case when qu.language = 'en' then query.en else query.nl end) as rank
      from questions qu, query
      where qu.community_id = ${communityId} and not qu.hidden
        and ((qu.language = 'en' and qu.search @@ query.en) or (qu.language <> 'en' and qu.search @@ query.nl))
      union all
      select a.question_id, a.id,
             0.8 * ts_rank(a.search, case when a.language = 'en' then query.en else query.nl end)
      from answers a join questions qu on qu.id = a.question_id, query
      where a.community_id = ${communityId} and not a.hidden and not qu.hidden
        and ((a.language = 'en' and a.search @@ query.en) or (a.language <> 'en' and a.search @@ query.nl))
    ),
    best as (
      select distinct on (question_id) question_id, answer_id, rank from hits order by question_id, rank desc
    ),
    page as (
      select best.*, qu.number, count(*) over () as total
      from best join questions qu on qu.id = best.question_id
      order by best.rank desc, qu.number desc
      limit ${limit} offset ${offset}
    )
    select page.question_id, page.number, qu.text as question, qu.solved_at is not null as solved,
           a.number as answer_number, page.rank::float8 as rank, page.total::int as total,
           ts_headline(
             case when coalesce(a.language, qu.language) = 'en' then 'english'::regconfig else 'dutch'::regconfig end,
             coalesce(a.text, qu.text),
             case when coalesce(a.language, qu.language) = 'en' then query.en else query.nl end,
             case when length(coalesce(a.text, qu.text)) <= ${WHOLE_UP_TO} then ${WHOLE} else ${PASSAGES} end
           ) as snippet
    from page join questions qu on qu.id = page.question_id left join answers a on a.id = page.answer_id, query
    order by page.rank desc, page.number desc
  `);
  const rows = (Array.isArray(result) ? result : (result as { rows: Row[] }).rows) as Row[];
  return {
    total: rows[0]?.total ?? 0,
    items: rows.map((r) => ({
      questionId: r.question_id,
      number: r.number,
      question: r.question,
      solved: r.solved,
      answerNumber: r.answer_number,
      rank: Number(r.rank),
      snippet: r.snippet,
    })),
  };
}

/** A snippet for HTML: the text escaped, the matched words in `<mark>`. */
export const markHtml = (snippet: string) =>
  snippet
    .replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`)
    .replaceAll(HIT_START, '<mark>')
    .replaceAll(HIT_STOP, '</mark>');

/** A snippet for chat: the matched words in *bold*. */
export const markChat = (snippet: string) => snippet.replaceAll(HIT_START, '*').replaceAll(HIT_STOP, '*');
