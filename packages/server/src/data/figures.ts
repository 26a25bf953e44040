// Beneficiary counts and service-usage figures: the numbers each project reports.
import { type Kysely, type Selectable, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { byId, mapPage } from "./catalog.ts";
import { type FigureFilter, type FigureOrderField, type FigureTable, figureConditions, figureOrder } from "./figure-query.ts";
import { findByKeys, inKeys } from "./keys.ts";
import { type BeneficiaryCount, toBeneficiaryCount, toUsageFigure, type UsageFigure } from "./model.ts";
import { loadPages, type Page, type PageArgs, type SortTerm } from "./pagination.ts";
import type { SortDirection } from "./project-query.ts";

export interface FigurePageOptions {
  where?: FigureFilter | null | undefined;
  orderBy?: ReadonlyArray<{ field: FigureOrderField; direction: SortDirection }> | null | undefined;
}
/** Figures in the order the report prints them. */
export function figureReportOrder(table: FigureTable): SortTerm[] {
  return [
    { expression: sql`${sql.ref(`${table}.project_id`)}`, direction: "asc", kind: "integer", name: "project" },
    { expression: sql`${sql.ref(`${table}.sort_order`)}`, direction: "asc", kind: "integer", name: "sortOrder" },
    byId(table),
  ];
}

type FigureParent = "project_id" | "ward_id" | "group_id";

export async function beneficiaryCountsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<BeneficiaryCount | undefined>> {
  return findByKeys(db, "beneficiary_count", keys, toBeneficiaryCount);
}

export async function usageFiguresByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<UsageFigure | undefined>> {
  return findByKeys(db, "usage_figure", keys, toUsageFigure);
}

async function figurePages<T, Table extends FigureTable>(
  db: Kysely<Database>,
  table: Table,
  column: FigureParent,
  parentKeys: readonly string[],
  args: PageArgs,
  map: (row: Selectable<Database[Table]>) => T,
  options: FigurePageOptions = {},
) {
  const from: FigureTable = table;
  const ref = (name: string) => sql.ref(`${from}.${name}`);
  let base = db
    .selectFrom(from)
    .selectAll(from)
    .where(inKeys(`${table}.municipality_code`, `${table}.${column}`, parentKeys));
  if (options.where) base = base.where(figureConditions(table, options.where, "where"));
  const pages = await loadPages({
    db,
    base,
    partitionBy: sql`${ref("municipality_code")} || ':' || ${ref(column)}`,
    order: figureOrder(table, options.orderBy) ?? figureReportOrder(table),
    args,
  });
  // The statement is built over either figure table; `map` gets the rows of `table` itself.
  return parentKeys.map((k) => mapPage(pages.get(k) as Page<Selectable<Database[Table]>> | undefined, map));
}

export const beneficiaryPagesByProject = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: FigurePageOptions = {}) =>
  figurePages(db, "beneficiary_count", "project_id", keys, args, toBeneficiaryCount, options);
export const beneficiaryPagesByGroup = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: FigurePageOptions = {}) =>
  figurePages(db, "beneficiary_count", "group_id", keys, args, toBeneficiaryCount, options);
export const beneficiaryPagesByWard = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: FigurePageOptions = {}) =>
  figurePages(db, "beneficiary_count", "ward_id", keys, args, toBeneficiaryCount, options);
export const usagePagesByProject = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: FigurePageOptions = {}) =>
  figurePages(db, "usage_figure", "project_id", keys, args, toUsageFigure, options);
export const usagePagesByWard = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: FigurePageOptions = {}) =>
  figurePages(db, "usage_figure", "ward_id", keys, args, toUsageFigure, options);
