// What the selection planner knows of each table it can load in one statement: the SQL of
// every property of the domain object (so PostgreSQL builds the object the resolvers read),
// which properties each GraphQL field needs, and the relations it can nest.
import { type RawBuilder, sql } from "kysely";
import { departmentOrder } from "../../data/departments.ts";
import { type FigureTable, figureConditions, figureOrder } from "../../data/figure-query.ts";
import { figureReportOrder } from "../../data/figures.ts";
import type { SortTerm } from "../../data/pagination.ts";
import { projectConditions, projectOrder } from "../../data/project-query.ts";
import type { ProjectParent } from "../../data/projects.ts";
import { reportOrder } from "../../data/projects.ts";
import { figurePageOptions } from "../schema/figure-query.ts";
import { projectFilter, projectOrderBy } from "../schema/project-query.ts";

export type PlannedTable = "municipality" | "project" | "department" | "usage_figure" | "beneficiary_count" | "beneficiary_group";

/** The filter, order and aggregate scope a connection's arguments ask for. */
export interface ListOptions {
  where: RawBuilder<boolean> | undefined;
  order: SortTerm[];
  /** Project lists only: what their `aggregate` covers (the same filtered list). */
  scope?: { parent: ProjectParent; where: ReturnType<typeof projectFilter> } | undefined;
}

export type Relation =
  | { kind: "connection"; target: PlannedTable; correlate: RawBuilder<boolean>; options: (args: Record<string, unknown>) => ListOptions }
  | { kind: "one"; target: PlannedTable; correlate: RawBuilder<boolean> }
  | { kind: "value"; expression: RawBuilder<unknown> };

export interface TableShape {
  table: PlannedTable;
  /** Domain property → SQL expression over the table (named as itself). */
  props: Record<string, RawBuilder<unknown>>;
  /** GraphQL field → the properties its resolver reads (also when the field is planned as a relation). */
  fieldProps: Record<string, readonly string[]>;
  relations: Record<string, Relation>;
}

const column = (table: PlannedTable, name: string) => sql.ref(`${table}.${name}`);
const rowKey = (table: PlannedTable, idColumn: string) => sql`${column(table, "municipality_code")} || ':' || ${column(table, idColumn)}`;

/** key, municipalityCode, id: what every municipal row carries. */
function keyedProps(table: PlannedTable): Record<string, RawBuilder<unknown>> {
  return { key: rowKey(table, "id"), municipalityCode: column(table, "municipality_code"), id: sql`${column(table, "id")}::text` };
}

const sameMunicipality = (child: PlannedTable, parent: PlannedTable) => sql`${column(child, "municipality_code")} = ${column(parent, "municipality_code")}`;

const projectList =
  (parent: ProjectParent) =>
  (args: Record<string, unknown>): ListOptions => {
    const where = projectFilter(args.where as Parameters<typeof projectFilter>[0]);
    const orderBy = projectOrderBy(args.orderBy as Parameters<typeof projectOrderBy>[0]);
    return { where: where ? projectConditions(where, "where") : undefined, order: projectOrder(orderBy, "orderBy") ?? reportOrder, scope: { parent, where } };
  };

const figureList =
  (table: FigureTable) =>
  (args: Record<string, unknown>): ListOptions => {
    const options = figurePageOptions(args);
    return {
      where: options.where ? figureConditions(table, options.where, "where") : undefined,
      order: figureOrder(table, options.orderBy) ?? figureReportOrder(table),
    };
  };

const project: TableShape = {
  table: "project",
  props: {
    ...keyedProps("project"),
    documentKey: rowKey("project", "document_id"),
    departmentKey: rowKey("project", "department_id"),
    parentKey: rowKey("project", "parent_id"),
    fiscalYear: sql`project.fiscal_year`,
    seriesKey: sql`project.key`,
    nameJa: sql`project.name_ja`,
    nameEn: sql`project.name_en`,
    descriptionJa: sql`project.description_ja`,
    descriptionEn: sql`project.description_en`,
    amountThousandYen: sql`project.amount_thousand_yen::text`,
    amountNote: sql`project.amount_note`,
    flags: sql`array_remove(array[case when project.is_new then 'NEW' end, case when project.is_expanded then 'EXPANDED' end, case when project.is_relisted then 'RELISTED' end], null)`,
    page: sql`project.page`,
  },
  fieldProps: {
    id: ["key"],
    seriesKey: ["seriesKey"],
    name: ["nameJa"],
    nameEn: ["nameEn"],
    description: ["descriptionJa"],
    descriptionEn: ["descriptionEn"],
    fiscalYear: ["fiscalYear"],
    amountThousandYen: ["amountThousandYen"],
    amountYen: ["amountThousandYen"],
    amountNote: ["amountNote"],
    flags: ["flags"],
    municipality: ["municipalityCode"],
    department: ["departmentKey"],
    parent: ["parentKey"],
    lineItems: ["key"],
    beneficiaries: ["key"],
    usage: ["key"],
    source: ["documentKey", "page"],
  },
  relations: {
    department: {
      kind: "one",
      target: "department",
      correlate: sql<boolean>`${sameMunicipality("department", "project")} and department.id = project.department_id`,
    },
    usage: {
      kind: "connection",
      target: "usage_figure",
      correlate: sql<boolean>`${sameMunicipality("usage_figure", "project")} and usage_figure.project_id = project.id`,
      options: figureList("usage_figure"),
    },
    beneficiaries: {
      kind: "connection",
      target: "beneficiary_count",
      correlate: sql<boolean>`${sameMunicipality("beneficiary_count", "project")} and beneficiary_count.project_id = project.id`,
      options: figureList("beneficiary_count"),
    },
  },
};

const department: TableShape = {
  table: "department",
  props: {
    ...keyedProps("department"),
    slug: sql`department.key`,
    nameJa: sql`department.name_ja`,
    nameEn: sql`department.name_en`,
    sortOrder: sql`department.sort_order`,
  },
  fieldProps: { id: ["key"], slug: ["slug"], name: ["nameJa"], nameEn: ["nameEn"], municipality: ["municipalityCode"], projects: ["key"] },
  relations: {
    projects: {
      kind: "connection",
      target: "project",
      correlate: sql<boolean>`${sameMunicipality("project", "department")} and project.department_id = department.id`,
      options: projectList("department"),
    },
  },
};

const beneficiaryGroup: TableShape = {
  table: "beneficiary_group",
  props: {
    ...keyedProps("beneficiary_group"),
    slug: sql`beneficiary_group.key`,
    nameJa: sql`beneficiary_group.name_ja`,
    nameEn: sql`beneficiary_group.name_en`,
  },
  fieldProps: { id: ["key"], slug: ["slug"], name: ["nameJa"], nameEn: ["nameEn"], municipality: ["municipalityCode"], projects: ["key"], counts: ["key"] },
  relations: {},
};

function figureShape(table: FigureTable): Pick<TableShape, "props" | "fieldProps"> {
  const col = (name: string) => column(table, name);
  return {
    props: {
      ...keyedProps(table),
      projectKey: rowKey(table, "project_id"),
      documentKey: rowKey(table, "document_id"),
      wardKey: rowKey(table, "ward_id"),
      value: sql`${col("value")}::text`,
      unit: col("unit"),
      fiscalYear: col("fiscal_year"),
      asOf: col("as_of"),
      isTotal: col("is_total"),
      noteJa: col("note_ja"),
      noteEn: col("note_en"),
      page: col("page"),
    },
    fieldProps: {
      id: ["key"],
      value: ["value"],
      unit: ["unit"],
      unitName: ["unit"],
      unitNameEn: ["unit"],
      ward: ["wardKey"],
      fiscalYear: ["fiscalYear"],
      asOf: ["asOf"],
      isTotal: ["isTotal"],
      note: ["noteJa"],
      noteEn: ["noteEn"],
      project: ["projectKey"],
      source: ["documentKey", "page"],
    },
  };
}

const usageFigure: TableShape = (() => {
  const figure = figureShape("usage_figure");
  return {
    table: "usage_figure",
    props: {
      ...figure.props,
      metric: sql`usage_figure.metric`,
      labelJa: sql`usage_figure.label_ja`,
      labelEn: sql`usage_figure.label_en`,
      categoryJa: sql`usage_figure.category_ja`,
      categoryEn: sql`usage_figure.category_en`,
    },
    fieldProps: { ...figure.fieldProps, metric: ["metric"], label: ["labelJa"], labelEn: ["labelEn"], category: ["categoryJa"], categoryEn: ["categoryEn"] },
    relations: {},
  };
})();

const beneficiaryCount: TableShape = (() => {
  const figure = figureShape("beneficiary_count");
  const ofGroup = sql<boolean>`${sameMunicipality("beneficiary_group", "beneficiary_count")} and beneficiary_group.id = beneficiary_count.group_id`;
  return {
    table: "beneficiary_count",
    props: { ...figure.props, groupKey: rowKey("beneficiary_count", "group_id") },
    fieldProps: { ...figure.fieldProps, group: ["groupKey"], label: ["groupKey"] },
    relations: {
      group: { kind: "one", target: "beneficiary_group", correlate: ofGroup },
      label: { kind: "value", expression: sql`coalesce((select beneficiary_group.name_ja from beneficiary_group where ${ofGroup}), '')` },
    },
  };
})();

const municipality: TableShape = {
  table: "municipality",
  props: {
    code: sql`municipality.code`,
    code5: sql`municipality.code5`,
    nameJa: sql`municipality.name_ja`,
    nameEn: sql`municipality.name_en`,
    prefectureJa: sql`municipality.prefecture_ja`,
    prefectureEn: sql`municipality.prefecture_en`,
  },
  fieldProps: {
    id: ["code"],
    code: ["code"],
    code5: ["code5"],
    name: ["nameJa"],
    nameEn: ["nameEn"],
    prefecture: ["prefectureJa"],
    prefectureEn: ["prefectureEn"],
    wards: ["code"],
    departments: ["code"],
    documents: ["code"],
  },
  relations: {
    departments: {
      kind: "connection",
      target: "department",
      correlate: sql<boolean>`department.municipality_code = municipality.code`,
      options: () => ({ where: undefined, order: departmentOrder }),
    },
  },
};

export const shapes: Record<PlannedTable, TableShape> = {
  municipality,
  project,
  department,
  usage_figure: usageFigure,
  beneficiary_count: beneficiaryCount,
  beneficiary_group: beneficiaryGroup,
};

/**
 * Root fields that fetch one row by key: the key's columns, each compared with its value (text
 * as is, so that PostgreSQL types it as the char column and uses the index).
 */
export const rootNodes = {
  project: { table: "project", key: [(value: string) => sql`project.municipality_code = ${value}`, (value: string) => sql`project.id = ${value}::bigint`] },
  municipality: { table: "municipality", key: [(value: string) => sql`municipality.code = ${value}`] },
} as const satisfies Record<string, { table: PlannedTable; key: ReadonlyArray<(value: string) => RawBuilder<unknown>> }>;

/** Root lists the planner serves, by their table and argument handling. */
export const rootLists = {
  departments: { table: "department", options: (): ListOptions => ({ where: undefined, order: departmentOrder }) },
  projects: { table: "project", options: projectList("root") },
} as const satisfies Record<string, { table: PlannedTable; options: (args: Record<string, unknown>) => ListOptions }>;
