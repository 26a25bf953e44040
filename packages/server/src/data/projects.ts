import { type Kysely, type SelectQueryBuilder, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { byId, mapPage } from "./catalog.ts";
import { inKeys, selectByKeys } from "./keys.ts";
import { type Project, toProject } from "./model.ts";
import { loadPages, type PageArgs, type SortTerm } from "./pagination.ts";

export type ProjectBase = SelectQueryBuilder<Database, "project", any>;

export async function projectsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<Project | undefined>> {
  return (await selectByKeys<any>(db, "project", keys)).map((r) => (r ? toProject(r) : undefined));
}

/** Report order: the document's own sequence of projects. */
export const reportOrder: SortTerm[] = [
  { expression: sql`project.municipality_code`, direction: "asc", kind: "text", name: "municipality" },
  { expression: sql`project.fiscal_year`, direction: "desc", kind: "integer", name: "fiscalYear" },
  { expression: sql`project.document_id`, direction: "asc", kind: "integer", name: "document" },
  { expression: sql`project.sort_order`, direction: "asc", kind: "integer", name: "sortOrder" },
  byId("project"),
];

export interface ProjectPageOptions {
  /** Narrows the base query (filters); applied before paging and counting. */
  filter?: ((base: ProjectBase) => ProjectBase) | undefined;
  order?: SortTerm[] | undefined;
}

async function pagesBy(
  db: Kysely<Database>,
  column: "department_id" | "parent_id" | "document_id",
  parentKeys: readonly string[],
  args: PageArgs,
  options: ProjectPageOptions,
) {
  let base: ProjectBase = db.selectFrom("project").selectAll("project").where(inKeys("project.municipality_code", `project.${column}`, parentKeys));
  if (options.filter) base = options.filter(base);
  const pages = await loadPages({
    db,
    base,
    partitionBy: sql`project.municipality_code || ':' || ${sql.ref(`project.${column}`)}`,
    order: options.order ?? reportOrder,
    args,
  });
  return parentKeys.map((k) => mapPage(pages.get(k), toProject));
}

export const projectPagesByDepartment = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: ProjectPageOptions = {}) =>
  pagesBy(db, "department_id", keys, args, options);
export const lineItemPages = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: ProjectPageOptions = {}) =>
  pagesBy(db, "parent_id", keys, args, options);
export const projectPagesByDocument = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: ProjectPageOptions = {}) =>
  pagesBy(db, "document_id", keys, args, options);

/** Projects that counted members of each group, one page per group. */
export async function projectPagesByBeneficiaryGroup(db: Kysely<Database>, groupKeysList: readonly string[], args: PageArgs, options: ProjectPageOptions = {}) {
  let base: ProjectBase = db
    .selectFrom("project")
    .innerJoin(
      db
        .selectFrom("beneficiary_count")
        .select(["beneficiary_count.municipality_code as g_code", "beneficiary_count.group_id as g_id", "beneficiary_count.project_id as g_project"])
        .distinct()
        .as("g"),
      (join) => join.onRef("g.g_code", "=", "project.municipality_code").onRef("g.g_project", "=", "project.id"),
    )
    .selectAll("project") as unknown as ProjectBase;
  base = base.where(inKeys("g.g_code", "g.g_id", groupKeysList));
  if (options.filter) base = options.filter(base);
  const pages = await loadPages({ db, base, partitionBy: sql`g.g_code || ':' || g.g_id`, order: options.order ?? reportOrder, args });
  return groupKeysList.map((k) => mapPage(pages.get(k), toProject));
}

/** The root list of projects. */
export async function projectPage(db: Kysely<Database>, args: PageArgs, options: ProjectPageOptions = {}) {
  let base: ProjectBase = db.selectFrom("project").selectAll("project");
  if (options.filter) base = options.filter(base);
  const pages = await loadPages({ db, base, order: options.order ?? reportOrder, args });
  return mapPage(pages.get(""), toProject);
}
