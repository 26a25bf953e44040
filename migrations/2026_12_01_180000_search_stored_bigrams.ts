import { type Kysely, sql } from "kysely";

// Search read its bigrams from GIN expression indexes (2026_11_27_120000), so every plan that
// did not use the index — every plan on a small table, such as the bundled 75 projects —
// computed search_bigrams for each row read: ~4 ms per project description, 280 ms for one
// two-character word. A realistic COST on the function makes small plans use the index, but
// also inflates the estimate of each bitmap recheck, so a common word at 200,000 projects
// crossed jit_above_cost and got 4× slower (JIT compilation). The bigrams are now stored
// (generated columns: computed once on write, immutable functions) and indexed as stored; a
// scan or a recheck then only compares arrays. Generated columns cannot read other generated
// columns, hence search_fold again below. Figures in docs/query.md.

export async function up(db: Kysely<any>): Promise<void> {
  await sql`drop index project_search_idx`.execute(db);
  await sql`alter table project add column search_grams text[] not null generated always as (
    search_bigrams(search_fold(name_ja || ' ' || name_en) || ' ' || search_fold(coalesce(description_ja, '') || ' ' || coalesce(description_en, '')))) stored`.execute(
    db,
  );
  await sql`create index project_search_idx on project using gin (search_grams)`.execute(db);

  for (const table of ["department", "beneficiary_group"]) {
    await sql`drop index ${sql.id(`${table}_search_idx`)}`.execute(db);
    await sql`alter table ${sql.table(table)}
      add column search_text text not null generated always as (search_fold(name_ja || ' ' || name_en)) stored,
      add column search_grams text[] not null generated always as (search_bigrams(search_fold(name_ja || ' ' || name_en))) stored`.execute(db);
    await sql`create index ${sql.id(`${table}_search_idx`)} on ${sql.table(table)} using gin (search_grams)`.execute(db);
  }
}
