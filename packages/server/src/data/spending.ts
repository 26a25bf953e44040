// Spending grouped by one or two dimensions (部局別・年度別 …), summed by the database. A bucket
// is identified by its key values; buckets page like any list, ordered by sum, count or key.
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { keyOf } from "./keys.ts";
import type { ProjectFlag } from "./model.ts";
import { loadPages, type Page, type PageArgs, type SortTerm } from "./pagination.ts";
import { countsTowardsSpending, type ProjectFilter, projectConditions, type SortDirection } from "./project-query.ts";
import { QueryInputError } from "./query-input.ts";
import { mapPage } from "./catalog.ts";

export type SpendingDimension = "MUNICIPALITY" | "FISCAL_YEAR" | "DEPARTMENT" | "FLAG" | "BENEFICIARY_GROUP";
export type SpendingOrderField = "SUM" | "COUNT" | "KEY";

export interface SpendingBucket {
  municipalityCode: string | null;
  fiscalYear: number | null;
  departmentKey: string | null;
  /** "NONE" for projects without any flag. */
  flag: ProjectFlag | "NONE" | null;
  /** Null in a BENEFICIARY_GROUP bucket: projects that report no beneficiary group. */
  beneficiaryGroupKey: string | null;
  count: number;
  countWithAmount: number;
  sumThousandYen: string;
}

export interface SpendingQuery {
  groupBy: readonly SpendingDimension[];
  where?: ProjectFilter | null | undefined;
  includeRelisted?: boolean | undefined;
  orderBy?: ReadonlyArray<{ field: SpendingOrderField; direction: SortDirection }> | null | undefined;
}

// Key columns sort in a meaningful order and are never null (keyset cursors compare them):
// ids are zero-padded so that text order is id order.
const padded = (code: RawBuilder<unknown>, id: RawBuilder<unknown>) => sql`${code} || ':' || lpad(${id}::text, 19, '0')`;
const dimensions: Record<SpendingDimension, { column: string; select: RawBuilder<unknown>; kind: SortTerm["kind"] }> = {
  MUNICIPALITY: { column: "k_municipality", select: sql`p.municipality_code::text`, kind: "text" },
  FISCAL_YEAR: { column: "k_fiscal_year", select: sql`p.fiscal_year`, kind: "integer" },
  DEPARTMENT: { column: "k_department", select: padded(sql`p.municipality_code`, sql`p.department_id`), kind: "text" },
  FLAG: { column: "k_flag", select: sql`flag.name`, kind: "text" },
  BENEFICIARY_GROUP: { column: "k_group", select: sql`coalesce(${padded(sql`g.municipality_code`, sql`g.group_id`)}, '')`, kind: "text" },
};

function checkGroupBy(groupBy: readonly SpendingDimension[]) {
  if (groupBy.length < 1 || groupBy.length > 2) {
    throw new QueryInputError(`"groupBy" takes one or two dimensions, got ${groupBy.length}`, "groupBy");
  }
  if (new Set(groupBy).size !== groupBy.length) throw new QueryInputError(`"groupBy" names ${groupBy[0]} twice; name two different dimensions`, "groupBy");
}

const unpad = (key: string | undefined | null) => {
  if (!key) return null;
  const [code, id] = key.split(":");
  return keyOf(code as string, BigInt(id as string).toString());
};

export async function spendingPage(db: Kysely<Database>, query: SpendingQuery, args: PageArgs): Promise<Page<SpendingBucket>> {
  checkGroupBy(query.groupBy);
  const dims = query.groupBy.map((d) => dimensions[d]);
  const projects = db
    .selectFrom("project")
    .select(["project.municipality_code", "project.id", "project.fiscal_year", "project.department_id", "project.amount_thousand_yen", "project.is_new", "project.is_expanded", "project.is_relisted"])
    .where(projectConditions(query.where))
    .where(countsTowardsSpending(query.includeRelisted ?? false));
  const joins: RawBuilder<unknown>[] = [];
  if (query.groupBy.includes("FLAG")) {
    // A project with two flags is in both buckets; one with none is in NONE.
    joins.push(sql`cross join lateral (
      select name from (values ('NEW', p.is_new), ('EXPANDED', p.is_expanded), ('RELISTED', p.is_relisted),
        ('NONE', not (p.is_new or p.is_expanded or p.is_relisted))) as f(name, holds) where holds) flag`);
  }
  if (query.groupBy.includes("BENEFICIARY_GROUP")) {
    // A project serving two groups is in both buckets (its amount then shows twice across them).
    joins.push(sql`left join (select distinct municipality_code, project_id, group_id from beneficiary_count) g
      on g.municipality_code = p.municipality_code and g.project_id = p.id`);
  }
  const grouped = sql`
    select ${sql.join(dims.map((d) => sql`${d.select} as ${sql.ref(d.column)}`))},
      count(*)::int as count, count(p.amount_thousand_yen)::int as count_with_amount,
      coalesce(sum(p.amount_thousand_yen), 0) as sum
    from (${projects}) p ${sql.join(joins, sql` `)}
    group by ${sql.join(dims.map((d) => d.select))}`;

  const keyTerms = (direction: SortDirection): SortTerm[] =>
    dims.map((d) => ({ expression: sql`bucket.${sql.ref(d.column)}`, direction, kind: d.kind, name: d.column }));
  const order: SortTerm[] = [];
  for (const o of query.orderBy?.length ? query.orderBy : [{ field: "SUM" as const, direction: "desc" as const }]) {
    if (o.field === "SUM") order.push({ expression: sql`bucket.sum`, direction: o.direction, kind: "decimal", name: "sum" });
    if (o.field === "COUNT") order.push({ expression: sql`bucket.count`, direction: o.direction, kind: "integer", name: "count" });
    if (o.field === "KEY") order.push(...keyTerms(o.direction));
  }
  // The keys identify a bucket: they close the order.
  const lastDirection = order.at(-1)?.direction ?? "asc";
  order.push(...keyTerms(lastDirection).map((t) => ({ ...t, name: `tie_${t.name}` })));

  const pages = await loadPages({
    db,
    base: db.selectFrom(sql`(${grouped})`.as("bucket")).selectAll("bucket" as any) as any,
    order,
    args,
  });
  return mapPage(pages.get(""), (row: any): SpendingBucket => ({
    // A department or group belongs to one municipality: its bucket names it too.
    municipalityCode: row.k_municipality ?? ([row.k_department, row.k_group].find((k) => k) as string | undefined)?.split(":")[0] ?? null,
    fiscalYear: row.k_fiscal_year ?? null,
    departmentKey: unpad(row.k_department),
    flag: row.k_flag ?? null,
    beneficiaryGroupKey: unpad(row.k_group),
    count: row.count,
    countWithAmount: row.count_with_amount,
    sumThousandYen: String(row.sum),
  }));
}
