import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { byId, mapPage } from "./catalog.ts";
import { selectByKeys } from "./keys.ts";
import { type BeneficiaryGroup, type Department, toBeneficiaryGroup, toDepartment } from "./model.ts";
import { loadPages, type PageArgs } from "./pagination.ts";

export async function departmentsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<Department | undefined>> {
  return (await selectByKeys<any>(db, "department", keys)).map((r) => (r ? toDepartment(r) : undefined));
}

/** Departments in report order, per municipality (or all, for the root list). */
export async function departmentPages(db: Kysely<Database>, codes: readonly string[] | null, args: PageArgs) {
  let base = db.selectFrom("department").selectAll("department");
  if (codes) base = base.where("department.municipality_code", "in", [...codes]);
  const pages = await loadPages({
    db,
    base,
    partitionBy: codes ? sql`department.municipality_code` : undefined,
    order: [
      { expression: sql`department.municipality_code`, direction: "asc", kind: "text", name: "municipality" },
      { expression: sql`department.sort_order`, direction: "asc", kind: "integer", name: "sortOrder" },
      byId("department"),
    ],
    args,
  });
  return (codes ?? [""]).map((c) => mapPage(pages.get(c), toDepartment));
}

export async function beneficiaryGroupsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<BeneficiaryGroup | undefined>> {
  return (await selectByKeys<any>(db, "beneficiary_group", keys)).map((r) => (r ? toBeneficiaryGroup(r) : undefined));
}

export async function beneficiaryGroupPages(db: Kysely<Database>, codes: readonly string[] | null, args: PageArgs) {
  let base = db.selectFrom("beneficiary_group").selectAll("beneficiary_group");
  if (codes) base = base.where("beneficiary_group.municipality_code", "in", [...codes]);
  const pages = await loadPages({
    db,
    base,
    partitionBy: codes ? sql`beneficiary_group.municipality_code` : undefined,
    order: [
      { expression: sql`beneficiary_group.municipality_code`, direction: "asc", kind: "text", name: "municipality" },
      { expression: sql`beneficiary_group.name_ja`, direction: "asc", kind: "text", name: "name" },
      byId("beneficiary_group"),
    ],
    args,
  });
  return (codes ?? [""]).map((c) => mapPage(pages.get(c), toBeneficiaryGroup));
}
