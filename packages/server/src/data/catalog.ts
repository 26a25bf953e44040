// Reference and municipal lookups: municipalities, wards, fiscal years, documents, units.
import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { findByKeys } from "./keys.ts";
import {
  type FiscalYear,
  type Municipality,
  type SourceDocument,
  type Unit,
  type Ward,
  toFiscalYear,
  toMunicipality,
  toSourceDocument,
  toUnit,
  toWard,
} from "./model.ts";
import { emptyPage, loadPages, type Page, type PageArgs, type SortTerm } from "./pagination.ts";

export const byId = (table: string): SortTerm => ({ expression: sql`${sql.ref(`${table}.id`)}`, direction: "asc", kind: "integer", name: "id" });

export async function municipalitiesByCode(db: Kysely<Database>, codes: readonly string[]): Promise<Array<Municipality | undefined>> {
  const rows = await db
    .selectFrom("municipality")
    .selectAll()
    .where("code", "in", [...codes])
    .execute();
  const byCode = new Map(rows.map((r) => [r.code, toMunicipality(r)]));
  return codes.map((c) => byCode.get(c));
}

export async function municipalityPage(db: Kysely<Database>, args: PageArgs): Promise<Page<Municipality>> {
  const pages = await loadPages({
    db,
    base: db.selectFrom("municipality").selectAll("municipality"),
    order: [{ expression: sql`municipality.code`, direction: "asc", kind: "text", name: "code" }],
    args,
  });
  return mapPage(pages.get(""), toMunicipality);
}

export async function fiscalYearsByYear(db: Kysely<Database>, years: readonly number[]): Promise<Array<FiscalYear | undefined>> {
  const rows = await db
    .selectFrom("fiscal_year")
    .selectAll()
    .where("year", "in", [...years])
    .execute();
  const byYear = new Map(rows.map((r) => [r.year, toFiscalYear(r)]));
  return years.map((y) => byYear.get(y));
}

export async function fiscalYearPage(db: Kysely<Database>, args: PageArgs): Promise<Page<FiscalYear>> {
  const pages = await loadPages({
    db,
    base: db.selectFrom("fiscal_year").selectAll("fiscal_year"),
    order: [{ expression: sql`fiscal_year.year`, direction: "desc", kind: "integer", name: "year" }],
    args,
  });
  return mapPage(pages.get(""), toFiscalYear);
}

export async function unitsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<Unit | undefined>> {
  const rows = await db
    .selectFrom("unit")
    .selectAll()
    .where("key", "in", [...keys])
    .execute();
  const byKey = new Map(rows.map((r) => [r.key, toUnit(r)]));
  return keys.map((k) => byKey.get(k));
}

export async function wardsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<Ward | undefined>> {
  return findByKeys(db, "ward", keys, toWard);
}

export async function documentsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<SourceDocument | undefined>> {
  return findByKeys(db, "source_document", keys, toSourceDocument);
}

/** Wards of many municipalities, one page each, in the municipality's own order. */
export async function wardPagesByMunicipality(db: Kysely<Database>, codes: readonly string[], args: PageArgs) {
  const pages = await loadPages({
    db,
    base: db
      .selectFrom("ward")
      .selectAll("ward")
      .where("ward.municipality_code", "in", [...codes]),
    partitionBy: sql`ward.municipality_code`,
    order: [{ expression: sql`ward.sort_order`, direction: "asc", kind: "integer", name: "sortOrder" }, byId("ward")],
    args,
  });
  return codes.map((c) => mapPage(pages.get(c), toWard));
}

type MunicipalListTable = "source_document" | "department" | "beneficiary_group";

/**
 * One page per municipality of a municipal table (or, with `codes` null, the root list over
 * every municipality), in one statement.
 */
export async function pagesByMunicipality<T>(
  db: Kysely<Database>,
  table: MunicipalListTable,
  codes: readonly string[] | null,
  args: PageArgs,
  order: SortTerm[],
  map: (row: any) => T,
): Promise<Page<T>[]> {
  const code = sql.ref(`${table}.municipality_code`);
  let base = db.selectFrom(table).selectAll(table);
  if (codes) base = base.where(code, "in", [...codes]);
  const pages = await loadPages({ db, base, partitionBy: codes ? sql`${code}` : undefined, order: [...order, byId(table)], args });
  return (codes ?? [""]).map((c) => mapPage(pages.get(c), map));
}

/** Documents of many municipalities, newest fiscal year first. */
export const documentPagesByMunicipality = (db: Kysely<Database>, codes: readonly string[] | null, args: PageArgs) =>
  pagesByMunicipality(
    db,
    "source_document",
    codes,
    args,
    [
      { expression: sql`source_document.fiscal_year`, direction: "desc", kind: "integer", name: "fiscalYear" },
      { expression: sql`source_document.municipality_code`, direction: "asc", kind: "text", name: "municipality" },
    ],
    toSourceDocument,
  );

/** A parent with no rows has no page in the result: it gets an empty one. */
export function mapPage<Row, T>(page: Page<Row> | undefined, map: (row: Row) => T): Page<T> {
  if (!page) return emptyPage();
  return { ...page, edges: page.edges.map((e) => ({ cursor: e.cursor, node: map(e.node) })) };
}
