import { type Kysely, sql } from "kysely";

// Smallest amounts first: a missing amount sorts last here too, as int8's top, an expression
// the descending index (coalesce to -1) cannot serve, so this order sorted every project.
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index project_amount_asc_idx on project ((coalesce(amount_thousand_yen, 9223372036854775807)), municipality_code, id)`.execute(db);
}
