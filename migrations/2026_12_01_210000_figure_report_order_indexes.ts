import { type Kysely, sql } from "kysely";

// A project's figures in report order (position, then id) straight from the index: without id
// in the index, PostgreSQL sorted each project's figures for every page of usage or beneficiaries.
// The new indexes start with the old ones' columns, which they replace.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index usage_figure_project_order_idx on usage_figure (municipality_code, project_id, sort_order, id)`.execute(db);
  await sql`drop index usage_figure_project_idx`.execute(db);
  await sql`create index beneficiary_count_project_order_idx on beneficiary_count (municipality_code, project_id, sort_order, id)`.execute(db);
  await sql`drop index beneficiary_count_project_idx`.execute(db);
}
