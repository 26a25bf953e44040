import { type Kysely, sql } from "kysely";

// A department's projects in report order (latest year first, document, position): the nested
// page departments → projects reads each department's first rows straight from this index,
// however many projects a department has, instead of sorting all of them.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index project_department_report_order_idx on project (municipality_code, department_id, (-fiscal_year), document_id, sort_order, id)`.execute(
    db,
  );
}
