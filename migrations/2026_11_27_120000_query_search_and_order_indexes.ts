import { type Kysely, sql } from "kysely";

// Japanese search without pg_bigm/PGroonga: every project, department and beneficiary group is
// indexed by the set of character bigrams of its folded text, in a GIN expression index.
// Folding (NFKC, hiragana → katakana, lower case) is applied to the indexed text and to the
// query by the same SQL function, so ﾍﾟｱﾚﾝﾄ, ぺあれんと and ペアレント are the same word.
// A two-character term is one bigram, so 保育 or 虐待 is a single index probe; longer terms
// probe all their bigrams and are then checked as substrings. Nothing here depends on the
// database's ctype (pg_trgm would: in a C ctype it sees no Japanese "words" at all).

const hiragana = `${Array.from({ length: 0x3096 - 0x3041 + 1 }, (_, i) => String.fromCodePoint(0x3041 + i)).join("")}ゝゞ`;
const katakana = `${Array.from({ length: 0x30f6 - 0x30a1 + 1 }, (_, i) => String.fromCodePoint(0x30a1 + i)).join("")}ヽヾ`;

export async function up(db: Kysely<any>): Promise<void> {
  await sql`
    create function search_fold(value text) returns text
    language sql immutable strict parallel safe
    return lower(translate(normalize(value, NFKC), ${sql.lit(hiragana)}, ${sql.lit(katakana)}))`.execute(db);

  // Distinct bigrams of already-folded text; pairs that contain white space are left out,
  // since query terms never contain any.
  await sql`
    create function search_bigrams(folded text) returns text[]
    language sql immutable strict parallel safe
    return array(
      select distinct pair
      from generate_series(1, char_length(folded) - 1) as position,
           lateral substr(folded, position, 2) as pair
      where pair !~ '\\s'
    )`.execute(db);

  // A project's folded name and description are stored, computed once on write: ranking and
  // the substring check then read plain text instead of normalizing every candidate again.
  await sql`alter table project
    add column search_name text not null generated always as (search_fold(name_ja || ' ' || name_en)) stored,
    add column search_body text not null generated always as (search_fold(coalesce(description_ja, '') || ' ' || coalesce(description_en, ''))) stored`.execute(
    db,
  );
  // The indexed expressions. Queries must repeat them exactly (packages/server/src/data/search-text.ts).
  await sql`create index project_search_idx on project using gin (search_bigrams(search_name || ' ' || search_body))`.execute(db);
  await sql`create index department_search_idx on department using gin (search_bigrams(search_fold(name_ja || ' ' || name_en)))`.execute(db);
  await sql`create index beneficiary_group_search_idx on beneficiary_group using gin (search_bigrams(search_fold(name_ja || ' ' || name_en)))`.execute(db);

  // "Top projects by amount" pages through this index in either direction; a missing amount
  // sorts last in descending order (as -1: amounts are never negative).
  await sql`create index project_amount_desc_idx on project ((coalesce(amount_thousand_yen, -1)), municipality_code, id)`.execute(db);
  // Report order (municipality, latest year first, document, position) with the year negated,
  // so that every key runs ascending and a cursor seeks with one row comparison.
  await sql`create index project_report_order_idx on project (municipality_code, (-fiscal_year), document_id, sort_order, id)`.execute(db);
  // Root lists and aggregates filtered by year and department.
  await sql`create index project_year_department_idx on project (fiscal_year, municipality_code, department_id)`.execute(db);
}
