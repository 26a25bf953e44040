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

/**
 * How a property travels in the statement and is read back. Every value is sent as its text
 * form (the planner casts it), so bigint and numeric stay exact.
 */
export type PropKind = "text" | "integer" | "boolean" | "textList";

export interface PlannedProp {
  /** SQL over the table (named as itself). */
  expression: RawBuilder<unknown>;
  kind: PropKind;
}

const text = (expression: RawBuilder<unknown>): PlannedProp => ({ expression, kind: "text" });
const integer = (expression: RawBuilder<unknown>): PlannedProp => ({ expression, kind: "integer" });
const boolean = (expression: RawBuilder<unknown>): PlannedProp => ({ expression, kind: "boolean" });
const textList = (expression: RawBuilder<unknown>): PlannedProp => ({ expression, kind: "textList" });

export interface TableShape {
  table: PlannedTable;
  /** Domain property → how the statement reads it. */
  props: Record<string, PlannedProp>;
  /** GraphQL field → the properties its resolver reads (also when the field is planned as a relation). */
  fieldProps: Record<string, readonly string[]>;
  relations: Record<string, Relation>;
}

const column = (table: PlannedTable, name: string) => sql.ref(`${table}.${name}`);
const rowKey = (table: PlannedTable, idColumn: string) => sql`${column(table, "municipality_code")} || ':' || ${column(table, idColumn)}`;

/** key, municipalityCode, id: what every municipal row carries. */
function keyedProps(table: PlannedTable): Record<string, PlannedProp> {
  return { key: text(rowKey(table, "id")), municipalityCode: text(column(table, "municipality_code")), id: text(column(table, "id")) };
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
    documentKey: text(rowKey("project", "document_id")),
    departmentKey: text(rowKey("project", "department_id")),
    parentKey: text(rowKey("project", "parent_id")),
    fiscalYear: integer(sql`project.fiscal_year`),
    seriesKey: text(sql`project.key`),
    nameJa: text(sql`project.name_ja`),
    nameEn: text(sql`project.name_en`),
    descriptionJa: text(sql`project.description_ja`),
    descriptionEn: text(sql`project.description_en`),
    amountThousandYen: text(sql`project.amount_thousand_yen`),
    amountNote: text(sql`project.amount_note`),
    flags: textList(
      sql`array_remove(array[case when project.is_new then 'NEW' end, case when project.is_expanded then 'EXPANDED' end, case when project.is_relisted then 'RELISTED' end], null)`,
    ),
    page: integer(sql`project.page`),
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
    slug: text(sql`department.key`),
    nameJa: text(sql`department.name_ja`),
    nameEn: text(sql`department.name_en`),
    sortOrder: integer(sql`department.sort_order`),
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
    slug: text(sql`beneficiary_group.key`),
    nameJa: text(sql`beneficiary_group.name_ja`),
    nameEn: text(sql`beneficiary_group.name_en`),
  },
  fieldProps: { id: ["key"], slug: ["slug"], name: ["nameJa"], nameEn: ["nameEn"], municipality: ["municipalityCode"], projects: ["key"], counts: ["key"] },
  relations: {},
};

function figureShape(table: FigureTable): Pick<TableShape, "props" | "fieldProps"> {
  const col = (name: string) => column(table, name);
  return {
    props: {
      ...keyedProps(table),
      projectKey: text(rowKey(table, "project_id")),
      documentKey: text(rowKey(table, "document_id")),
      wardKey: text(rowKey(table, "ward_id")),
      value: text(col("value")),
      unit: text(col("unit")),
      fiscalYear: integer(col("fiscal_year")),
      asOf: text(col("as_of")),
      isTotal: boolean(col("is_total")),
      noteJa: text(col("note_ja")),
      noteEn: text(col("note_en")),
      page: integer(col("page")),
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
      metric: text(sql`usage_figure.metric`),
      labelJa: text(sql`usage_figure.label_ja`),
      labelEn: text(sql`usage_figure.label_en`),
      categoryJa: text(sql`usage_figure.category_ja`),
      categoryEn: text(sql`usage_figure.category_en`),
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
    props: { ...figure.props, groupKey: text(rowKey("beneficiary_count", "group_id")) },
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
    code: text(sql`municipality.code`),
    code5: text(sql`municipality.code5`),
    nameJa: text(sql`municipality.name_ja`),
    nameEn: text(sql`municipality.name_en`),
    prefectureJa: text(sql`municipality.prefecture_ja`),
    prefectureEn: text(sql`municipality.prefecture_en`),
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
