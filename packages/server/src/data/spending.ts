// Spending grouped by one or two dimensions (部局別・年度別 …), summed by the database. A bucket
// is identified by its key values; buckets page like any list, ordered by sum, count or key.
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { fromSortableKey, sortableKey } from "./keys.ts";
import type { ProjectFlag } from "./model.ts";
import { type BucketOrder, type BucketOrderField, type BucketTotals, bucketOrder, bucketPage } from "./buckets.ts";
import type { Page, PageArgs, SortTerm } from "./pagination.ts";
import { countedOnce, notRelisted, type ProjectFilter, projectConditions, } from "./project-query.ts";
import { QueryInputError } from "./query-input.ts";

export type SpendingDimension = "MUNICIPALITY" | "FISCAL_YEAR" | "DEPARTMENT" | "FLAG" | "BENEFICIARY_GROUP";
export type SpendingOrderField = BucketOrderField;

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

/** A row of the grouped statement: the key columns of the dimensions grouped by, then the totals. */
interface SpendingBucketRow extends BucketTotals {
  k_municipality?: string;
  k_fiscal_year?: number;
  k_department?: string;
  k_flag?: ProjectFlag | "NONE";
  k_group?: string;
  count_with_amount: number;
}

export interface SpendingQuery {
  groupBy: readonly SpendingDimension[];
  where?: ProjectFilter | null | undefined;
  includeRelisted?: boolean | undefined;
  orderBy?: readonly BucketOrder[] | null | undefined;
}

// Buckets are computed in two steps: projects are first summed per raw column values (ids,
// years, the three flag booleans: a few thousand rows at most), then those rows get their
// bucket keys (a FLAG bucket per flag held) and are summed again. Keys are zero-padded ids
// so that text order is id order, and never null, since keyset cursors compare them.
const dimensions: Record<SpendingDimension, { raw: RawBuilder<unknown>[]; key: RawBuilder<unknown>; column: string; kind: SortTerm["kind"] }> = {
  MUNICIPALITY: { raw: [sql`p.municipality_code as r_municipality`], key: sql`s.r_municipality::text`, column: "k_municipality", kind: "text" },
  FISCAL_YEAR: { raw: [sql`p.fiscal_year as r_year`], key: sql`s.r_year`, column: "k_fiscal_year", kind: "integer" },
  DEPARTMENT: {
    raw: [sql`p.municipality_code as r_department_code`, sql`p.department_id as r_department_id`],
    key: sortableKey(sql`s.r_department_code`, sql`s.r_department_id`),
    column: "k_department",
    kind: "text",
  },
  FLAG: {
    raw: [sql`p.is_new as r_new`, sql`p.is_expanded as r_expanded`, sql`p.is_relisted as r_relisted`],
    key: sql`flag.name`,
    column: "k_flag",
    kind: "text",
  },
  BENEFICIARY_GROUP: {
    raw: [sql`bg.municipality_code as r_group_code`, sql`bg.group_id as r_group_id`],
    key: sql`coalesce(${sortableKey(sql`s.r_group_code`, sql`s.r_group_id`)}, '')`,
    column: "k_group",
    kind: "text",
  },
};

function checkGroupBy(groupBy: readonly SpendingDimension[]) {
  if (groupBy.length < 1 || groupBy.length > 2) {
    throw new QueryInputError(`"groupBy" takes one or two dimensions, got ${groupBy.length}`, "groupBy");
  }
  if (new Set(groupBy).size !== groupBy.length) throw new QueryInputError(`"groupBy" names ${groupBy[0]} twice; name two different dimensions`, "groupBy");
}

export async function spendingPage(db: Kysely<Database>, query: SpendingQuery, args: PageArgs): Promise<Page<SpendingBucket>> {
  checkGroupBy(query.groupBy);
  const dims = query.groupBy.map((d) => dimensions[d]);
  const projects = db
    .selectFrom("project")
    .select([
      "project.municipality_code",
      "project.id",
      "project.parent_id",
      "project.fiscal_year",
      "project.department_id",
      "project.amount_thousand_yen as amount",
      "project.is_new",
      "project.is_expanded",
      "project.is_relisted",
    ])
    .where(projectConditions(query.where, "where"))
    .where(notRelisted(query.includeRelisted ?? false));
  // A project serving two groups is in both buckets (its amount then shows twice across them).
  const groupJoin = query.groupBy.includes("BENEFICIARY_GROUP")
    ? sql`left join (select distinct municipality_code, project_id, group_id from beneficiary_count) bg
        on bg.municipality_code = p.municipality_code and bg.project_id = p.id`
    : sql``;
  // A project with two flags is in both buckets; one with none is in NONE.
  const flagJoin = query.groupBy.includes("FLAG")
    ? sql`cross join lateral (
        select name from (values ('NEW', s.r_new), ('EXPANDED', s.r_expanded), ('RELISTED', s.r_relisted),
          ('NONE', not (s.r_new or s.r_expanded or s.r_relisted))) as f(name, holds) where holds) flag`
    : sql``;
  const raw = dims.flatMap((d) => d.raw);
  const rawNames = sql.raw(raw.map((_, i) => String(i + 1)).join(", "));
  const grouped = sql<SpendingBucketRow>`
    select ${sql.join(dims.map((d) => sql`${d.key} as ${sql.ref(d.column)}`))},
      sum(s.count)::int as count, sum(s.count_with_amount)::int as count_with_amount, sum(s.sum) as sum
    from (
      select ${sql.join(raw)}, count(*) as count, count(p.amount) as count_with_amount, coalesce(sum(p.amount), 0) as sum
      from (${projects}) p ${groupJoin}
      where ${countedOnce("p", projects.where(sql<boolean>`project.amount_thousand_yen is not null`))}
      group by ${rawNames}
    ) s ${flagJoin}
    group by ${sql.join(dims.map((d) => d.key))}`;

  const order = bucketOrder(dims, query.orderBy, { field: "SUM", direction: "desc" });
  return bucketPage(
    db,
    grouped,
    order,
    args,
    (row): SpendingBucket => ({
      // A department or group belongs to one municipality: its bucket names it too.
      municipalityCode: row.k_municipality ?? [row.k_department, row.k_group].find((k) => k)?.split(":")[0] ?? null,
      fiscalYear: row.k_fiscal_year ?? null,
      departmentKey: fromSortableKey(row.k_department),
      flag: row.k_flag ?? null,
      beneficiaryGroupKey: fromSortableKey(row.k_group),
      count: row.count,
      countWithAmount: row.count_with_amount,
      sumThousandYen: String(row.sum),
    }),
  );
}
