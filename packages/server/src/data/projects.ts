import { type Kysely, type RawBuilder, type SelectQueryBuilder, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { byId, mapPage } from "./catalog.ts";
import { findByKeys, inKeys } from "./keys.ts";
import { type Project, toProject } from "./model.ts";
import { loadPages, type PageArgs, type SortTerm } from "./pagination.ts";
import { countedOnce, notRelisted, type ProjectFilter, type ProjectOrder, projectConditions, projectOrder } from "./project-query.ts";

export type ProjectBase = SelectQueryBuilder<Database, "project", any>;

export async function projectsByKey(db: Kysely<Database>, keys: readonly string[]): Promise<Array<Project | undefined>> {
  return findByKeys(db, "project", keys, toProject);
}

/**
 * Report order: by municipality, latest fiscal year first, then the document's own sequence.
 * The year is negated rather than sorted descending so that all keys run one way and
 * project_report_order_idx serves any page by seeking to the cursor.
 */
export const reportOrder: SortTerm[] = [
  { expression: sql`project.municipality_code`, direction: "asc", kind: "text", name: "municipality" },
  { expression: sql`(-project.fiscal_year)`, direction: "asc", kind: "integer", name: "latestFiscalYear" },
  { expression: sql`project.document_id`, direction: "asc", kind: "integer", name: "document" },
  { expression: sql`project.sort_order`, direction: "asc", kind: "integer", name: "sortOrder" },
  byId("project"),
];

export interface ProjectPageOptions {
  /** Narrows the base query (filters); applied before paging and counting. */
  filter?: ((base: ProjectBase) => ProjectBase) | undefined;
  order?: SortTerm[] | undefined;
  /** A client's filter (allow-listed fields, AND-ed), applied with `filter`. */
  where?: ProjectFilter | null | undefined;
  orderBy?: readonly ProjectOrder[] | null | undefined;
}

/** What a list of projects hangs from: nothing (the root list) or one kind of parent. */
export type ProjectParent = "root" | "department" | "lineItems" | "document" | "beneficiaryGroup";

const parentColumn = { department: "department_id", lineItems: "parent_id", document: "document_id" } as const;

/** The projects of the given parents, and the expression telling which parent a row is of. */
function scopedProjects(db: Kysely<Database>, parent: ProjectParent, parentKeys: readonly string[]): { base: ProjectBase; partitionBy?: RawBuilder<unknown> } {
  if (parent === "root") return { base: db.selectFrom("project").selectAll("project") };
  if (parent === "beneficiaryGroup") {
    const base = db
      .selectFrom("project")
      .innerJoin(
        db
          .selectFrom("beneficiary_count")
          .select(["beneficiary_count.municipality_code as g_code", "beneficiary_count.group_id as g_id", "beneficiary_count.project_id as g_project"])
          .distinct()
          .as("g"),
        (join) => join.onRef("g.g_code", "=", "project.municipality_code").onRef("g.g_project", "=", "project.id"),
      )
      .selectAll("project")
      .where(inKeys("g.g_code", "g.g_id", parentKeys)) as unknown as ProjectBase;
    return { base, partitionBy: sql`g.g_code || ':' || g.g_id` };
  }
  const column = parentColumn[parent];
  return {
    base: db
      .selectFrom("project")
      .selectAll("project")
      .where(inKeys("project.municipality_code", `project.${column}`, parentKeys)),
    partitionBy: sql`project.municipality_code || ':' || ${sql.ref(`project.${column}`)}`,
  };
}

function narrowed(base: ProjectBase, options: ProjectPageOptions): ProjectBase {
  let result = base;
  if (options.where) result = result.where(projectConditions(options.where, "where"));
  if (options.filter) result = options.filter(result);
  return result;
}

/** One page of projects per parent, all in one statement. */
export async function projectPages(
  db: Kysely<Database>,
  parent: ProjectParent,
  parentKeys: readonly string[],
  args: PageArgs,
  options: ProjectPageOptions = {},
) {
  const { base, partitionBy } = scopedProjects(db, parent, parentKeys);
  const pages = await loadPages({
    db,
    base: narrowed(base, options),
    partitionBy,
    order: projectOrder(options.orderBy, "orderBy") ?? options.order ?? reportOrder,
    args,
  });
  return (parent === "root" ? [""] : parentKeys).map((k) => mapPage(pages.get(k), toProject));
}

export const projectPagesByDepartment = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: ProjectPageOptions = {}) =>
  projectPages(db, "department", keys, args, options);
export const lineItemPages = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: ProjectPageOptions = {}) =>
  projectPages(db, "lineItems", keys, args, options);
export const projectPagesByDocument = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: ProjectPageOptions = {}) =>
  projectPages(db, "document", keys, args, options);
/** Projects that counted members of each group, one page per group. */
export const projectPagesByBeneficiaryGroup = (db: Kysely<Database>, keys: readonly string[], args: PageArgs, options: ProjectPageOptions = {}) =>
  projectPages(db, "beneficiaryGroup", keys, args, options);

/** The root list of projects. */
export async function projectPage(db: Kysely<Database>, args: PageArgs, options: ProjectPageOptions = {}) {
  return (await projectPages(db, "root", [], args, options))[0]!;
}

/** Count, sum, average, minimum and maximum of amounts (thousand yen), exact, as decimal text. */
export interface ProjectAggregate {
  count: number;
  countWithAmount: number;
  sumThousandYen: string;
  /** Rounded to 3 decimals: to the yen. Null when no project has an amount. */
  avgThousandYen: string | null;
  minThousandYen: string | null;
  maxThousandYen: string | null;
}

export const emptyAggregate: ProjectAggregate = {
  count: 0,
  countWithAmount: 0,
  sumThousandYen: "0",
  avgThousandYen: null,
  minThousandYen: null,
  maxThousandYen: null,
};

export interface AggregateOptions {
  where?: ProjectFilter | null | undefined;
  /** Re-listed projects (再掲) repeat an amount shown elsewhere: left out unless asked for. */
  includeRelisted?: boolean | undefined;
}

/**
 * Aggregates over the whole filtered list of each parent (not a page), one SQL statement for
 * all parents. PostgreSQL sums bigint into numeric, so nothing overflows or rounds.
 */
export async function projectAggregates(
  db: Kysely<Database>,
  parent: ProjectParent,
  parentKeys: readonly string[],
  options: AggregateOptions = {},
): Promise<ProjectAggregate[]> {
  const { base, partitionBy } = scopedProjects(db, parent, parentKeys);
  const added = base
    .clearSelect()
    .select([
      sql<string>`(${partitionBy ?? sql`''`})::text`.as("list"),
      "project.municipality_code",
      "project.id",
      "project.parent_id",
      "project.amount_thousand_yen as amount",
    ])
    .where(projectConditions(options.where, "where"))
    .where(notRelisted(options.includeRelisted ?? false));
  const result = await sql<{
    parent: string;
    count: number;
    count_with_amount: number;
    sum: string;
    avg: string | null;
    min: string | null;
    max: string | null;
  }>`
    select list as parent, count(*)::int as count, count(amount)::int as count_with_amount,
      coalesce(sum(amount), 0)::text as sum,
      -- Half-up to 3 decimals in exact integer arithmetic: avg() divides at a limited scale.
      case when count(amount) > 0 then (div(2000 * sum(amount) + count(amount), 2 * count(amount)) * 0.001)::text end as avg, min(amount)::text as min, max(amount)::text as max
    from (${added}) p where ${countedOnce("p", added.where(sql<boolean>`project.amount_thousand_yen is not null`), "list")} group by list`.execute(db);
  const byParent = new Map(
    result.rows.map((r) => [
      r.parent,
      { count: r.count, countWithAmount: r.count_with_amount, sumThousandYen: r.sum, avgThousandYen: r.avg, minThousandYen: r.min, maxThousandYen: r.max },
    ]),
  );
  return (parent === "root" ? [""] : parentKeys).map((k) => byParent.get(k) ?? emptyAggregate);
}
