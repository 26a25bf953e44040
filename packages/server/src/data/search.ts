// Japanese full-text search over projects, departments and beneficiary groups: candidates come
// from the bigram GIN indexes (search-text.ts), every word must occur (AND), and hits are
// ranked by where and how often the words occur.
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { mapPage } from "./catalog.ts";
import { keyOf } from "./keys.ts";
import { emptyPage, loadPages, type Page, type PageArgs, type SortTerm } from "./pagination.ts";
import { type FoldedTerms, foldedTerms, foldForSearch, matchesFolded, searchable, searchTerms } from "./search-text.ts";

export type SearchableType = "Project" | "Department" | "BeneficiaryGroup";
export const searchableTypes: SearchableType[] = ["Project", "Department", "BeneficiaryGroup"];

export interface SearchHit {
  type: SearchableType;
  /** Row key ("municipality:id") of the node. */
  key: string;
  /** Relevance, higher first; comparable within one query only. */
  score: string;
  snippet: string;
}

/** Occurrences of a folded term in folded text. */
const occurrences = (text: RawBuilder<unknown>, term: RawBuilder<unknown>) =>
  sql`((char_length(${text}) - char_length(replace(${text}, ${term}, ''))) / greatest(char_length(${term}), 1))`;

/**
 * Per word: 3 if it is in the name, plus half a point per occurrence in the description (at
 * most 5 counted), plus 1 when the name starts with the first word. Rounded so that cursors
 * compare exactly. `folded` are the words as folded by the statement (foldedTerms).
 */
function score(name: RawBuilder<unknown>, description: RawBuilder<unknown> | null, folded: RawBuilder<unknown>[]): RawBuilder<unknown> {
  const parts = folded.map((t) => {
    const inName = sql`case when strpos(${name}, ${t}) > 0 then 3 else 0 end`;
    return description ? sql`${inName} + least(${occurrences(description, t)}, 5) * 0.5` : inName;
  });
  const startsWith = sql`case when starts_with(${name}, ${folded[0]}) then 1 else 0 end`;
  return sql`round((${sql.join(parts, sql` + `)} + ${startsWith})::numeric, 4)`;
}

/** A row of the union of searchable tables. */
interface HitRow {
  type: SearchableType;
  municipality_code: string;
  id: string;
  title: string;
  body: string | null;
  score: string;
}

/**
 * The matching rows of each wanted table with their score, reading the words folded once
 * (`words`, a one-row relation joined to each table; its grams are the GIN index condition).
 */
function hitsOf(types: readonly SearchableType[], terms: string[], words: FoldedTerms): RawBuilder<HitRow> {
  const branches: RawBuilder<unknown>[] = [];
  const from = (table: keyof typeof searchable) =>
    sql`${sql.table(words.name)} join ${sql.table(table)} on ${matchesFolded(searchable[table], terms, words.folded, words.grams)}`;
  if (types.includes("Project")) {
    branches.push(sql`select 'Project'::text as type, project.municipality_code, project.id, project.name_ja as title, project.description_ja as body,
      ${score(sql`project.search_name`, sql`project.search_body`, words.folded)} as score
      from ${from("project")}`);
  }
  for (const [type, table] of [
    ["Department", "department"],
    ["BeneficiaryGroup", "beneficiary_group"],
  ] as const) {
    if (!types.includes(type)) continue;
    branches.push(sql`select ${sql.lit(type)}::text as type, ${sql.ref(`${table}.municipality_code`)}, ${sql.ref(`${table}.id`)}, ${sql.ref(`${table}.name_ja`)} as title,
      null::text as body, ${score(searchable[table].text, null, words.folded)} as score
      from ${from(table)}`);
  }
  return sql`${sql.join(branches, sql` union all `)}`;
}

const searchOrder: SortTerm[] = [
  { expression: sql`hit.score`, direction: "desc", kind: "decimal", name: "score" },
  { expression: sql`hit.type`, direction: "asc", kind: "text", name: "type" },
  { expression: sql`hit.municipality_code::text`, direction: "asc", kind: "text", name: "municipality" },
  { expression: sql`hit.id`, direction: "asc", kind: "integer", name: "id" },
];

export async function searchPage(
  db: Kysely<Database>,
  query: string,
  types: readonly SearchableType[] | null | undefined,
  args: PageArgs,
): Promise<Page<SearchHit>> {
  const terms = searchTerms(query, "query");
  // Left out means every type; an empty list, like every empty filter list, matches nothing.
  const wanted = types ?? searchableTypes;
  if (wanted.length === 0) return emptyPage();
  const words = foldedTerms(terms);
  // One pass: the hits are found and scored once (a materialized CTE, words folded once in
  // another), and both the total and the page read them; the page's order needs every hit's
  // score anyway. Before, the count found the hits a second time.
  const pages = await loadPages({
    db,
    shared: { name: "hit", query: sql`with ${sql.table(words.name)} as materialized (${words.query}) ${hitsOf(wanted, terms, words)}` },
    base: db.selectFrom(sql<HitRow>`hit`.as("hit")).selectAll("hit"),
    order: searchOrder,
    args,
    // The words reach the hits through search_terms: no estimate depends on them.
    planOnce: true,
  });
  return mapPage(
    pages.get(""),
    (row): SearchHit => ({
      type: row.type,
      key: keyOf(row.municipality_code, String(row.id)),
      score: String(row.score),
      // Made when read: a search that does not select the snippet does not pay for it.
      get snippet() {
        return snippet(row.title, row.body, terms);
      },
    }),
  );
}

const BEFORE = 20;
const AFTER = 60;

/** Where folded offset `folded` falls in the original text (folding may change lengths: ﾍﾟ → ペ). */
function originalOffset(text: string, folded: number): number {
  // Most text folds to the same length (already full-width, no half-width kana): then the
  // offset is the same, which two folds confirm instead of a binary search.
  if (folded > 0 && foldForSearch(text.slice(0, folded)).length >= folded && foldForSearch(text.slice(0, folded - 1)).length < folded) return folded;
  let low = 0;
  let high = text.length;
  while (low < high) {
    const middle = (low + high) >> 1;
    if (foldForSearch(text.slice(0, middle)).length < folded) low = middle + 1;
    else high = middle;
  }
  return low;
}

/**
 * The passage around the first word found, from the description where it occurs there
 * (more context), else the name; as printed, not folded.
 */
export function snippet(title: string, body: string | null, terms: string[]): string {
  const compact = (s: string) => s.replace(/\s+/gu, " ").trim();
  if (body) {
    const text = compact(body);
    const folded = foldForSearch(text);
    for (const term of terms) {
      const at = folded.indexOf(term);
      if (at < 0) continue;
      const start = originalOffset(text, at);
      const from = Math.max(0, start - BEFORE);
      const to = Math.min(text.length, start + AFTER);
      return `${from > 0 ? "…" : ""}${text.slice(from, to)}${to < text.length ? "…" : ""}`;
    }
  }
  return compact(title);
}
