// Filtering, ordering and aggregating lists of projects: the inputs clients pass and the
// aggregate a project connection carries.
import type { ProjectParent } from "../../data/projects.ts";
import { projectAggregates, type ProjectAggregate } from "../../data/projects.ts";
import { yenFromThousandYen } from "../../data/amounts.ts";
import type { ProjectFilter, ProjectOrder } from "../../data/project-query.ts";
import { builder, type SchemaTypes } from "../builder.ts";
import { keysFromGlobalIds } from "./connections.ts";
import { ProjectFlagEnum } from "./project.ts";

export const SortDirectionEnum = builder.enumType("SortDirection", {
  description: "Direction of an ordering key (昇順 / 降順).",
  values: {
    ASC: { value: "asc", description: "Smallest (or earliest, or A→Z) first (昇順)." },
    DESC: { value: "desc", description: "Largest (or latest, or Z→A) first (降順)." },
  } as const,
});

export const ProjectOrderFieldEnum = builder.enumType("ProjectOrderField", {
  description: "What projects can be ordered by (並べ替え).",
  values: {
    AMOUNT: { description: "Actual spending (実績額); projects without an amount come last in either direction." },
    NAME: { description: "Japanese name (事業名), by character code." },
    FISCAL_YEAR: { description: "Fiscal year (年度)." },
    REPORT_ORDER: { description: "The order the report lists projects in (掲載順): municipality, document, position." },
  } as const,
});

export const ProjectOrderInput = builder.inputType("ProjectOrder", {
  description: "One key of a project ordering (並べ替えキー). Later keys break ties of earlier ones; the ID breaks the last ties.",
  fields: (t) => ({
    field: t.field({ type: ProjectOrderFieldEnum, required: true, description: "What to order by (並べ替え項目)." }),
    direction: t.field({ type: SortDirectionEnum, required: true, defaultValue: "asc", description: "Ascending (昇順, the default) or descending (降順)." }),
  }),
});

export const AmountRangeInput = builder.inputType("AmountRange", {
  description: "A range of amounts in thousand yen (金額の範囲, 千円), bounds included. Projects without an amount never match a range.",
  fields: (t) => ({
    gte: t.field({ type: "BigInt", description: "At least this many thousand yen (以上)." }),
    lte: t.field({ type: "BigInt", description: "At most this many thousand yen (以下)." }),
  }),
});

export const ProjectFilterInput = builder.inputType("ProjectFilter", {
  description:
    "Narrows a list of projects (絞り込み). Every field given must hold (AND); a field left out does not filter; an empty list matches nothing. Lists take at most 100 values.",
  fields: (t) => ({
    text: t.string({
      description:
        "Words that must all appear in the name or description (キーワード), Japanese or English, separated by spaces; kana and full/half-width variants match alike. Each word needs 2 or more characters unless another word has them.",
    }),
    municipalityCodes: t.stringList({ description: "Municipalities, by 6-digit code (全国地方公共団体コード), e.g. 431001." }),
    fiscalYears: t.intList({ description: "Fiscal years (年度), by the Gregorian year they start (2023 for 令和5年度)." }),
    departmentIds: t.idList({ description: "Departments (所属), by global ID." }),
    amountThousandYen: t.field({ type: AmountRangeInput, description: "Amount range (実績額), in thousand yen." }),
    hasAmount: t.boolean({ description: "True: only projects with an amount; false: only those showing none (ー)." }),
    flags: t.field({ type: [ProjectFlagEnum], description: "Projects with at least one of these marks (新規 / 拡充 / 再掲)." }),
    withoutFlags: t.field({ type: [ProjectFlagEnum], description: "Projects with none of these marks, e.g. [RELISTED] to leave out 再掲 projects." }),
    beneficiaryGroupIds: t.idList({ description: "Projects that report serving at least one of these beneficiary groups (受益者), by global ID." }),
    hasUsageInWardIds: t.idList({ description: "Projects with usage figures (利用実績) for at least one of these wards (区), by global ID." }),
    usageMetrics: t.stringList({ description: "Projects with usage figures of at least one of these metrics (e.g. consultations)." }),
    isLineItem: t.boolean({ description: "True: only line items (内訳) listed inside another project; false: only top-level projects." }),
    parentIds: t.idList({ description: "Line items of these projects (親事業), by global ID." }),
    seriesKeys: t.stringList({ description: "Projects of these series (事業の系列キー, Project.seriesKey), across fiscal years." }),
  }),
});

export type ProjectFilterArgs = typeof ProjectFilterInput.$inferInput;

/** The client's filter, IDs decoded to row keys. */
export function projectFilter(where: ProjectFilterArgs | null | undefined, argumentName = "where"): ProjectFilter | undefined {
  if (!where) return undefined;
  return {
    text: where.text,
    municipalityCodes: where.municipalityCodes,
    fiscalYears: where.fiscalYears,
    departmentKeys: keysFromGlobalIds(where.departmentIds as string[] | null | undefined, "Department", `${argumentName}.departmentIds`),
    amountThousandYen: where.amountThousandYen,
    hasAmount: where.hasAmount,
    flags: where.flags,
    withoutFlags: where.withoutFlags,
    beneficiaryGroupKeys: keysFromGlobalIds(where.beneficiaryGroupIds as string[] | null | undefined, "BeneficiaryGroup", `${argumentName}.beneficiaryGroupIds`),
    hasUsageInWardKeys: keysFromGlobalIds(where.hasUsageInWardIds as string[] | null | undefined, "Ward", `${argumentName}.hasUsageInWardIds`),
    usageMetrics: where.usageMetrics,
    isLineItem: where.isLineItem,
    parentKeys: keysFromGlobalIds(where.parentIds as string[] | null | undefined, "Project", `${argumentName}.parentIds`),
    seriesKeys: where.seriesKeys,
  };
}

export function projectOrderBy(orderBy: ReadonlyArray<{ field: ProjectOrder["field"]; direction?: string | null }> | null | undefined): ProjectOrder[] | undefined {
  return orderBy?.map((o) => ({ field: o.field, direction: o.direction === "desc" ? "desc" : "asc" }));
}

export const ProjectAmountRef = builder.objectRef<{ thousandYen: string | null }>("ProjectAmount");
builder.objectType(ProjectAmountRef, {
  description: "An amount of spending (金額), exact, in thousand yen and in yen; null over an empty set.",
  fields: (t) => ({
    amountThousandYen: t.field({ type: "BigInt", nullable: true, description: "In thousand yen (千円).", resolve: (a) => a.thousandYen }),
    amountYen: t.field({
      type: "BigInt",
      nullable: true,
      description: "In yen (円): amountThousandYen × 1000.",
      resolve: (a) => yenFromThousandYen(a.thousandYen),
    }),
  }),
});

const ProjectAverageRef = builder.objectRef<{ thousandYen: string | null }>("ProjectAmountAverage");
builder.objectType(ProjectAverageRef, {
  description: "The average amount (平均額) of projects that have one, to the yen; null when none has.",
  fields: (t) => ({
    amountThousandYen: t.field({ type: "Decimal", nullable: true, description: "In thousand yen (千円), 3 decimals (so exact to the yen).", resolve: (a) => a.thousandYen }),
    amountYen: t.field({
      type: "Decimal",
      nullable: true,
      description: "In yen (円), rounded to the yen.",
      resolve: (a) => yenFromThousandYen(a.thousandYen),
    }),
  }),
});

export const ProjectAggregateRef = builder.objectRef<ProjectAggregate>("ProjectAggregate");
builder.objectType(ProjectAggregateRef, {
  description:
    "Figures over the whole filtered list (集計), not the page, computed by the database in one statement. Amounts are added without counting anything twice: re-listed projects (再掲) are left out unless includeRelisted is true, and a line item (内訳) is left out when its parent, stating an amount of its own, is added up too (so a list of line items alone adds them up).",
  fields: (t) => ({
    count: t.exposeInt("count", { description: "Number of projects aggregated (件数)." }),
    countWithAmount: t.exposeInt("countWithAmount", { description: "Number of those with an amount (ー excluded)." }),
    sum: t.field({ type: ProjectAmountRef, description: "Total amount (合計); 0 over an empty list.", resolve: (a) => ({ thousandYen: a.sumThousandYen }) }),
    avg: t.field({ type: ProjectAverageRef, description: "Average amount (平均) over the projects with an amount.", resolve: (a) => ({ thousandYen: a.avgThousandYen }) }),
    min: t.field({ type: ProjectAmountRef, description: "Smallest amount (最小).", resolve: (a) => ({ thousandYen: a.minThousandYen }) }),
    max: t.field({ type: ProjectAmountRef, description: "Largest amount (最大).", resolve: (a) => ({ thousandYen: a.maxThousandYen }) }),
  }),
});

/** What a project connection remembers so that its aggregate covers the same list. */
export interface ProjectListScope {
  parent: ProjectParent;
  parentKey: string;
  where: ProjectFilter | undefined;
}

export const projectListArgs = builder.args((t) => ({
  where: t.field({ type: ProjectFilterInput, description: "Narrows the list (絞り込み); fields combine with AND." }),
  orderBy: t.field({
    type: [ProjectOrderInput],
    description: "Ordering keys (並べ替え), first key first; the default is report order. At most 4 keys, each field once.",
  }),
}));

/**
 * The list a project connection was resolved for: loadProjectPage returns it beside the page.
 * Pothos types a connection object by its edges and pageInfo only, so it is read back here.
 */
function scopeOf(connection: object): ProjectListScope {
  if (!("scope" in connection)) throw new Error("a project connection was resolved without loadProjectPage");
  return connection.scope as ProjectListScope;
}

/** The `aggregate` field every project connection has. */
export const projectConnectionFields = (t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, object>) => ({
  aggregate: t.field({
    type: ProjectAggregateRef,
    description: "Count, sum, average, minimum and maximum of amounts over the whole filtered list (集計), not just this page.",
    args: {
      includeRelisted: t.arg.boolean({
        defaultValue: false,
        description: "Also add re-listed projects (再掲), whose amounts are already counted where they are first listed. Default false.",
      }),
    },
    resolve: (connection, args, context) => {
      const { parent, parentKey, where } = scopeOf(connection);
      const includeRelisted = args.includeRelisted ?? false;
      return context.loaders
        .keyed(`projects.aggregate:${parent}:${JSON.stringify({ where, includeRelisted })}`, (keys) => projectAggregates(context.db, parent, keys, { where, includeRelisted }))
        .load(parentKey);
    },
  }),
});
