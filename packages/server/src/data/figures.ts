// Beneficiary counts and service-usage figures: the numbers each project reports.
import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { byId, mapPage } from "./catalog.ts";
import { findByKeys, inKeys } from "./keys.ts";
import { type BeneficiaryCount, type UsageFigure, toBeneficiaryCount, toUsageFigure } from "./model.ts";
import { type FigureFilter, type FigureOrderField, type FigureTable, figureConditions, figureOrder } from "./figure-query.ts";
import { loadPages, type PageArgs } from "./pagination.ts";
import type { SortDirection } from "./project-query.ts";

export interface FigurePageOptions {
  where?: FigureFilter | null | undefined;
  orderBy?: ReadonlyArray<{ field: FigureOrderField; direction: SortDirection }> | null | undefined;
}
type FigureParent = "project_id" | "ward_id" | "group_id";

export async function beneficiaryCountsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<BeneficiaryCount | undefined>> {
  return findByKeys(db, "beneficiary_count", keys, toBeneficiaryCount);
}

export async function usageFiguresByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<UsageFigure | undefined>> {
  return findByKeys(db, "usage_figure", keys, toUsageFigure);
}

async function figurePages<T>(
  db: Kysely<Database>,
  table: FigureTable,
  column: FigureParent,
  parentKeys: readonly string[],
  args: PageArgs,
  map: (row: any) => T,
  options: FigurePageOptions = {},
) {
  const ref = (name: string) => sql.ref(`${table}.${name}`);
  let base = db
    .selectFrom(table)
    .selectAll(table)
    .where(inKeys(`${table}.municipality_code`, `${table}.${column}`, parentKeys));
  if (options.where) base = base.where(figureConditions(table, options.where, "where"));
  const pages = await loadPages({
    db,
    base,
    partitionBy: sql`${ref("municipality_code")} || ':' || ${ref(column)}`,
    order: figureOrder(table, options.orderBy) ?? [
      { expression: sql`${ref("project_id")}`, direction: "asc", kind: "integer", name: "project" },
      { expression: sql`${ref("sort_order")}`, direction: "asc", kind: "integer", name: "sortOrder" },
      byId(table),
    ],
    args,
  });
  return parentKeys.map((k) => mapPage(pages.get(k), map));
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
