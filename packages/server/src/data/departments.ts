import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { byId, pagesByMunicipality } from "./catalog.ts";
import { findByKeys } from "./keys.ts";
import { type BeneficiaryGroup, type Department, toBeneficiaryGroup, toDepartment } from "./model.ts";
import type { PageArgs, SortTerm } from "./pagination.ts";

export async function departmentsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<Department | undefined>> {
  return findByKeys(db, "department", keys, toDepartment);
}

/** Report order of departments, without the closing id (pagesByMunicipality adds it). */
const departmentReportOrder: SortTerm[] = [
  { expression: sql`department.municipality_code`, direction: "asc", kind: "text", name: "municipality" },
  { expression: sql`department.sort_order`, direction: "asc", kind: "integer", name: "sortOrder" },
];

/** The whole ordering of a list of departments, id included. */
export const departmentOrder: SortTerm[] = [...departmentReportOrder, byId("department")];

/** Departments in report order, per municipality (or all, for the root list). */
export const departmentPages = (db: Kysely<Database>, codes: readonly string[] | null, args: PageArgs) =>
  pagesByMunicipality(db, "department", codes, args, departmentReportOrder, toDepartment);

export async function beneficiaryGroupsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<BeneficiaryGroup | undefined>> {
  return findByKeys(db, "beneficiary_group", keys, toBeneficiaryGroup);
}

/** Beneficiary groups by name, per municipality (or all, for the root list). */
export const beneficiaryGroupPages = (db: Kysely<Database>, codes: readonly string[] | null, args: PageArgs) =>
  pagesByMunicipality(
    db,
    "beneficiary_group",
    codes,
    args,
    [
      { expression: sql`beneficiary_group.municipality_code`, direction: "asc", kind: "text", name: "municipality" },
      { expression: sql`beneficiary_group.name_ja`, direction: "asc", kind: "text", name: "name" },
    ],
    toBeneficiaryGroup,
  );
