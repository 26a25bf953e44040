// How text is matched, shared by `search` and the `text` filter: folding, terms, and the SQL
// columns that the GIN indexes of migrations/2026_12_01_180000_… are built on.
import { type RawBuilder, sql } from "kysely";
import { QueryInputError } from "./query-input.ts";

const MAX_QUERY_LENGTH = 200;
const MAX_TERMS = 10;

/**
 * The same folding as the SQL function search_fold: NFKC (full/half width), hiragana →
 * katakana, lower case. Used here only to split and check terms; SQL folds them again.
 */
export function foldForSearch(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\u3041-\u3096\u309d\u309e]/g, (c) => String.fromCodePoint(c.codePointAt(0)! + 0x60))
    .toLowerCase();
}

/** Space-separated terms (full-width spaces too), folded; every term must match (AND). */
export function searchTerms(query: string, path: string): string[] {
  if (query.length > MAX_QUERY_LENGTH) {
    throw new QueryInputError(`"${path}" is ${query.length} characters long; shorten it to at most ${MAX_QUERY_LENGTH}`, path);
  }
  const terms = [
    ...new Set(
      foldForSearch(query)
        .split(/\s+/u)
        .filter((t) => t.length > 0),
    ),
  ];
  if (terms.length === 0) throw new QueryInputError(`"${path}" is empty; type at least one word of 2 or more characters`, path);
  if (terms.length > MAX_TERMS) throw new QueryInputError(`"${path}" has ${terms.length} words; use at most ${MAX_TERMS}`, path);
  // A one-character word has no bigram to look up in the index; alone it would mean a scan.
  if (!terms.some((t) => [...t].length >= 2)) {
    throw new QueryInputError(`"${path}" needs at least one word of 2 or more characters (e.g. 保育), not only single characters`, path);
  }
  return terms;
}

/** What search reads of each searchable table: its folded text and the stored bigrams of it (GIN-indexed). */
export interface SearchableColumns {
  text: RawBuilder<unknown>;
  grams: RawBuilder<unknown>;
}

/** Stored, generated columns (migrations/2026_12_01_180000_search_stored_bigrams.ts). */
export const searchable = {
  project: { text: sql`(project.search_name || ' ' || project.search_body)`, grams: sql`project.search_grams` },
  department: { text: sql`department.search_text`, grams: sql`department.search_grams` },
  beneficiary_group: { text: sql`beneficiary_group.search_text`, grams: sql`beneficiary_group.search_grams` },
} satisfies Record<string, SearchableColumns>;

/**
 * Rows whose folded text holds every term: the bigram containment is what the GIN index
 * answers; the substring test then drops rows that have a longer term's bigrams but not in
 * sequence. A two-character term is its own single bigram, so the index answer is exact.
 */
export function matchesTerms(columns: SearchableColumns, terms: string[]): RawBuilder<boolean> {
  return matchesFolded(
    columns,
    terms,
    terms.map((t) => sql`search_fold(${t})`),
    bigramsOf(terms),
  );
}

/** The bigrams of every word, folded: what the GIN index is asked to contain. */
function bigramsOf(terms: string[]): RawBuilder<unknown> {
  return sql.join(
    terms.map((t) => sql`search_bigrams(search_fold(${t}))`),
    sql` || `,
  );
}

/**
 * The query's words folded once per statement, as columns of a one-row relation (the
 * `search_terms` CTE of foldedTerms): statements that read them fold and split each
 * word once when they run, not once per row or per mention, and their text does not depend on
 * the words, so a prepared statement's generic plan serves every query of the same shape.
 */
export interface FoldedTerms {
  /** The CTE (name and query) to put in the statement's WITH list. */
  name: string;
  query: RawBuilder<unknown>;
  /** Each word, folded: `search_terms.term_0`, … */
  folded: RawBuilder<unknown>[];
  /** The bigrams of every word, for the GIN index: `search_terms.grams`. */
  grams: RawBuilder<unknown>;
}

export function foldedTerms(terms: string[]): FoldedTerms {
  const name = "search_terms";
  return {
    name,
    query: sql`select ${sql.join(terms.map((t, i) => sql`search_fold(${t}) as ${sql.ref(`term_${i}`)}`))}, ${bigramsOf(terms)} as grams`,
    folded: terms.map((_, i) => sql.ref(`${name}.term_${i}`)),
    grams: sql.ref(`${name}.grams`),
  };
}

/** matchesTerms over words already folded (`folded[i]` is `terms[i]` folded, `grams` their bigrams). */
export function matchesFolded(columns: SearchableColumns, terms: string[], folded: RawBuilder<unknown>[], grams: RawBuilder<unknown>): RawBuilder<boolean> {
  const substrings = terms.flatMap((t, i) => ([...t].length !== 2 ? [sql`strpos(${columns.text}, ${folded[i]}) > 0`] : []));
  return sql<boolean>`(${columns.grams} @> (${grams})${substrings.length ? sql` and ${sql.join(substrings, sql` and `)}` : sql``})`;
}
