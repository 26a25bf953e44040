// How text is matched, shared by `search` and the `text` filter: folding, terms, and the SQL
// expressions that the GIN indexes of migrations/2026_11_27_120000_… were built on.
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

/**
 * The indexed text of each searchable table, exactly as in its GIN index: a project's is
 * stored already folded (generated columns), a department's or group's is folded on the fly.
 */
export const searchableText = {
  project: sql`(project.search_name || ' ' || project.search_body)`,
  department: sql`search_fold(department.name_ja || ' ' || department.name_en)`,
  beneficiary_group: sql`search_fold(beneficiary_group.name_ja || ' ' || beneficiary_group.name_en)`,
} as const;

/**
 * Rows whose folded text holds every term: the bigram containment is what the GIN index
 * answers; the substring test then drops rows that have a longer term's bigrams but not in
 * sequence. A two-character term is its own single bigram, so the index answer is exact.
 */
export function matchesTerms(folded: RawBuilder<unknown>, terms: string[]): RawBuilder<boolean> {
  const bigrams = sql.join(
    terms.map((t) => sql`search_bigrams(search_fold(${t}))`),
    sql` || `,
  );
  const substrings = terms.filter((t) => [...t].length !== 2).map((t) => sql`strpos(${folded}, search_fold(${t})) > 0`);
  return sql<boolean>`(search_bigrams(${folded}) @> (${bigrams})${substrings.length ? sql` and ${sql.join(substrings, sql` and `)}` : sql``})`;
}
