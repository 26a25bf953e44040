// Grouped totals (spending, usage totals) page like any list: buckets ordered by sum, count or
// their keys, the keys closing the order so that it is total. Written once for both.
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { mapPage } from "./catalog.ts";
import { loadPages, type Page, type PageArgs, type SortKind, type SortTerm } from "./pagination.ts";
import type { SortDirection } from "./project-query.ts";

export type BucketOrderField = "SUM" | "COUNT" | "KEY";

export interface BucketOrder {
  field: BucketOrderField;
  direction: SortDirection;
}

/** A key column of the grouped statement: its name there and how its values compare. */
export interface BucketKey {
  column: string;
  kind: SortKind;
}

/** Every bucket row has these, beside its key columns. */
export interface BucketTotals {
  count: number;
  sum: string | number;
}

/**
 * The sort terms for a bucket list: the asked order (or `fallback`), then every key in the last
 * direction as the tie-break, since the keys identify a bucket.
 */
export function bucketOrder(keys: readonly BucketKey[], orderBy: readonly BucketOrder[] | null | undefined, fallback: BucketOrder): SortTerm[] {
  const keyTerms = (direction: SortDirection): SortTerm[] =>
    keys.map((k) => ({ expression: sql`bucket.${sql.ref(k.column)}`, direction, kind: k.kind, name: k.column }));
  const order: SortTerm[] = [];
  for (const o of orderBy?.length ? orderBy : [fallback]) {
    if (o.field === "SUM") order.push({ expression: sql`bucket.sum`, direction: o.direction, kind: "decimal", name: "sum" });
    if (o.field === "COUNT") order.push({ expression: sql`bucket.count`, direction: o.direction, kind: "integer", name: "count" });
    if (o.field === "KEY") order.push(...keyTerms(o.direction));
  }
  const lastDirection = order.at(-1)?.direction ?? "asc";
  order.push(...keyTerms(lastDirection).map((t) => ({ ...t, name: `tie_${t.name}` })));
  return order;
}

/**
 * One page of the buckets a grouped statement yields, each row mapped. The statement is computed
 * once (a materialized CTE named `bucket`) for both the count and the page.
 */
export async function bucketPage<Row extends BucketTotals, T>(
  db: Kysely<Database>,
  grouped: RawBuilder<Row>,
  order: SortTerm[],
  args: PageArgs,
  map: (row: Row) => T,
): Promise<Page<T>> {
  const buckets = db.withTables<{ bucket: Row }>();
  const pages = await loadPages({ db, shared: { name: "bucket", query: grouped }, base: buckets.selectFrom("bucket").selectAll("bucket"), order, args });
  return mapPage(pages.get("") as Page<Row> | undefined, map);
}
