// Filters and orderings for lists of figures (beneficiary counts, usage figures), and usage
// figures summed by ward, metric, year … (利用実績の集計).
import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { type BucketOrder, type BucketTotals, bucketOrder, bucketPage } from "./buckets.ts";
import { byId } from "./catalog.ts";
import { fromSortableKey, inKeys, sortableKey } from "./keys.ts";
import type { Page, PageArgs, SortTerm } from "./pagination.ts";
import { inList, type ProjectFilter, projectConditions, type SortDirection } from "./project-query.ts";
import { checkListLength, QueryInputError } from "./query-input.ts";

/** Absent fields do not filter; an empty list matches nothing; fields combine with AND. */
export interface FigureFilter {
  fiscalYears?: readonly number[] | null | undefined;
  wardKeys?: readonly string[] | null | undefined;
  /** True: only figures for a ward; false: only figures for the whole municipality. */
  hasWard?: boolean | null | undefined;
  units?: readonly string[] | null | undefined;
  isTotal?: boolean | null | undefined;
  /** Usage figures only. */
  metrics?: readonly string[] | null | undefined;
  /** Usage figures only: the label exactly as printed. */
  labels?: readonly string[] | null | undefined;
  /** Beneficiary counts only. */
  groupKeys?: readonly string[] | null | undefined;
  /** Figures of projects matching this filter. */
  projects?: ProjectFilter | null | undefined;
}

export type FigureTable = "beneficiary_count" | "usage_figure";

export function figureConditions(table: FigureTable, filter: FigureFilter | null | undefined, path: string): RawBuilder<boolean> {
  const f = filter ?? {};
  const col = (name: string) => sql.ref(`${table}.${name}`);
  const at = (field: string) => `${path}.${field}`;
  for (const [field, values] of Object.entries(f)) if (Array.isArray(values)) checkListLength(values, at(field));
  const conditions: RawBuilder<boolean>[] = [];
  if (f.fiscalYears) conditions.push(inList(col("fiscal_year"), f.fiscalYears));
  if (f.wardKeys) conditions.push(inKeys(`${table}.municipality_code`, `${table}.ward_id`, f.wardKeys));
  if (f.hasWard != null) conditions.push(f.hasWard ? sql<boolean>`${col("ward_id")} is not null` : sql<boolean>`${col("ward_id")} is null`);
  if (f.units) conditions.push(inList(col("unit"), f.units));
  if (f.isTotal != null) conditions.push(sql<boolean>`${col("is_total")} = ${f.isTotal}`);
  if (f.metrics || f.labels) {
    if (table !== "usage_figure") throw new QueryInputError(`"${at(f.metrics ? "metrics" : "labels")}" applies to usage figures only`, at("metrics"));
    if (f.metrics) conditions.push(inList(col("metric"), f.metrics));
    if (f.labels) conditions.push(inList(col("label_ja"), f.labels));
  }
  if (f.groupKeys) {
    if (table !== "beneficiary_count") throw new QueryInputError(`"${at("groupIds")}" applies to beneficiary counts only`, at("groupIds"));
    conditions.push(inKeys(`${table}.municipality_code`, `${table}.group_id`, f.groupKeys));
  }
  if (f.projects) {
    conditions.push(sql<boolean>`exists (select 1 from project where project.municipality_code = ${col("municipality_code")}
      and project.id = ${col("project_id")} and ${projectConditions(f.projects, at("projects"))})`);
  }
  return conditions.length ? sql<boolean>`(${sql.join(conditions, sql` and `)})` : sql<boolean>`true`;
}

export type FigureOrderField = "VALUE" | "FISCAL_YEAR" | "REPORT_ORDER";

export function figureOrder(
  table: FigureTable,
  orderBy: ReadonlyArray<{ field: FigureOrderField; direction: SortDirection }> | null | undefined,
): SortTerm[] | undefined {
  if (!orderBy || orderBy.length === 0) return undefined;
  if (new Set(orderBy.map((o) => o.field)).size !== orderBy.length) throw new QueryInputError(`"orderBy" names a field twice; name each field once`, "orderBy");
  const col = (name: string) => sql`${sql.ref(`${table}.${name}`)}`;
  const terms: SortTerm[] = orderBy.flatMap(({ field, direction }): SortTerm[] => {
    switch (field) {
      case "VALUE":
        return [{ expression: col("value"), direction, kind: "decimal", name: "value" }];
      case "FISCAL_YEAR":
        return [{ expression: col("fiscal_year"), direction, kind: "integer", name: "fiscalYear" }];
      case "REPORT_ORDER":
        return [
          { expression: col("project_id"), direction, kind: "integer", name: "project" },
          { expression: col("sort_order"), direction, kind: "integer", name: "sortOrder" },
        ];
    }
  });
  const last = orderBy.at(-1)!.direction;
  return [...terms, { ...byId(table), direction: last }];
}

// Rates and percentage points do not add up: a sum of 訪問率 means nothing.
export const nonAdditiveUnits = ["PERCENT", "POINTS"] as const;

export type UsageDimension = "MUNICIPALITY" | "FISCAL_YEAR" | "WARD" | "METRIC" | "PROJECT";

export interface UsageTotal {
  municipalityCode: string | null;
  fiscalYear: number | null;
  wardKey: string | null;
  metric: string | null;
  labelJa: string | null;
  labelEn: string | null;
  projectKey: string | null;
  unit: string;
  count: number;
  sum: string;
}

export interface UsageTotalsQuery {
  groupBy: readonly UsageDimension[];
  where?: FigureFilter | null | undefined;
  orderBy?: readonly BucketOrder[] | null | undefined;
}

/** A row of the grouped statement: the key columns of the dimensions grouped by, the unit, the totals. */
interface UsageTotalRow extends BucketTotals {
  k_municipality?: string;
  k_fiscal_year?: number;
  k_ward?: string;
  k_metric?: string;
  k_project?: string;
  k_unit: string;
  label_ja?: string | null;
  label_en?: string | null;
}

const usageDimensions: Record<UsageDimension, { column: string; select: RawBuilder<unknown>; kind: SortTerm["kind"] }> = {
  MUNICIPALITY: { column: "k_municipality", select: sql`u.municipality_code::text`, kind: "text" },
  FISCAL_YEAR: { column: "k_fiscal_year", select: sql`u.fiscal_year`, kind: "integer" },
  WARD: { column: "k_ward", select: sql`coalesce(${sortableKey(sql`u.municipality_code`, sql`u.ward_id`)}, '')`, kind: "text" },
  METRIC: { column: "k_metric", select: sql`u.metric`, kind: "text" },
  PROJECT: { column: "k_project", select: sortableKey(sql`u.municipality_code`, sql`u.project_id`), kind: "text" },
};

/**
 * Usage figures summed per bucket and unit (a sum never mixes units). Stated totals (合計,
 * isTotal) are left out: their parts are summed instead. Rates are left out.
 */
export async function usageTotalsPage(db: Kysely<Database>, query: UsageTotalsQuery, args: PageArgs): Promise<Page<UsageTotal>> {
  if (query.groupBy.length < 1 || query.groupBy.length > 3)
    throw new QueryInputError(`"groupBy" takes one to three dimensions, got ${query.groupBy.length}`, "groupBy");
  if (new Set(query.groupBy).size !== query.groupBy.length) throw new QueryInputError(`"groupBy" names a dimension twice`, "groupBy");
  const dims = [...query.groupBy.map((d) => usageDimensions[d]), { column: "k_unit", select: sql`u.unit`, kind: "text" as const }];
  const figures = db
    .selectFrom("usage_figure")
    .selectAll("usage_figure")
    .where(figureConditions("usage_figure", query.where, "where"))
    .where(sql<boolean>`not usage_figure.is_total`)
    .where(sql<boolean>`usage_figure.unit not in (${sql.join(nonAdditiveUnits.map((u) => sql`${u}`))})`);
  const labels = query.groupBy.includes("METRIC") ? sql`, min(u.label_ja) as label_ja, min(u.label_en) as label_en` : sql``;
  const grouped = sql<UsageTotalRow>`
    select ${sql.join(dims.map((d) => sql`${d.select} as ${sql.ref(d.column)}`))}, count(*)::int as count, sum(u.value) as sum ${labels}
    from (${figures}) u group by ${sql.join(dims.map((d) => d.select))}`;
  const order = bucketOrder(dims, query.orderBy, { field: "KEY", direction: "asc" });
  return bucketPage(
    db,
    grouped,
    order,
    args,
    (row): UsageTotal => ({
      municipalityCode: row.k_municipality ?? null,
      fiscalYear: row.k_fiscal_year ?? null,
      wardKey: fromSortableKey(row.k_ward),
      metric: row.k_metric ?? null,
      labelJa: row.label_ja ?? null,
      labelEn: row.label_en ?? null,
      projectKey: fromSortableKey(row.k_project),
      unit: row.k_unit,
      count: row.count,
      sum: String(row.sum),
    }),
  );
}
