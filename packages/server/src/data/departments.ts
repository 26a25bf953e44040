import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { pagesByMunicipality } from "./catalog.ts";
import { findByKeys } from "./keys.ts";
import { type BeneficiaryGroup, type Department, toBeneficiaryGroup, toDepartment } from "./model.ts";
import type { PageArgs } from "./pagination.ts";

export async function departmentsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<Department | undefined>> {
  return findByKeys(db, "department", keys, toDepartment);
}

/** Departments in report order, per municipality (or all, for the root list). */
export const departmentPages = (db: Kysely<Database>, codes: readonly string[] | null, args: PageArgs) =>
  pagesByMunicipality(
    db,
    "department",
    codes,
    args,
    [
      { expression: sql`department.municipality_code`, direction: "asc", kind: "text", name: "municipality" },
      { expression: sql`department.sort_order`, direction: "asc", kind: "integer", name: "sortOrder" },
    ],
    toDepartment,
  );

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
