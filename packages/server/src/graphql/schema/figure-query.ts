// Filters and orderings for lists of figures (受益者数, 利用実績).
import type { FigureFilter, } from "../../data/figure-query.ts";
import type { FigurePageOptions } from "../../data/figures.ts";
import { builder, type SchemaTypes } from "../builder.ts";
import { keysFromGlobalIds } from "./connections.ts";
import { ProjectFilterInput, projectFilter, SortDirectionEnum } from "./project-query.ts";

const figureFilterFields = (t: PothosSchemaTypes.InputFieldBuilder<SchemaTypes, "InputObject">) => ({
  fiscalYears: t.intList({ description: "Fiscal years the figures are about (年度), e.g. 2021 for an R3 figure quoted in a later report." }),
  wardIds: t.idList({ description: "Wards (区) the figures are for, by global ID." }),
  hasWard: t.boolean({ description: "True: only ward breakdowns (区別); false: only figures for the whole municipality." }),
  units: t.stringList({ description: "Units (単位) of the figures, by key (e.g. PEOPLE)." }),
  isTotal: t.boolean({ description: "True: only stated totals (合計); false: only the figures themselves." }),
  projects: t.field({ type: ProjectFilterInput, description: "Only figures of projects matching this filter (事業の絞り込み)." }),
});

export const UsageFilterInput = builder.inputType("UsageFilter", {
  description: "Narrows usage figures (利用実績の絞り込み). Every field given must hold (AND); an empty list matches nothing.",
  fields: (t) => ({
    ...figureFilterFields(t),
    metrics: t.stringList({ description: "Metrics (項目キー), e.g. consultations." }),
    labels: t.stringList({ description: "Labels exactly as printed (項目名), e.g. 延べ相談件数." }),
  }),
});

export const BeneficiaryFilterInput = builder.inputType("BeneficiaryFilter", {
  description: "Narrows beneficiary counts (受益者数の絞り込み). Every field given must hold (AND); an empty list matches nothing.",
  fields: (t) => ({
    ...figureFilterFields(t),
    groupIds: t.idList({ description: "Beneficiary groups (受益者), by global ID." }),
  }),
});

export const FigureOrderFieldEnum = builder.enumType("FigureOrderField", {
  description: "What figures can be ordered by (並べ替え).",
  values: {
    VALUE: { description: "The value (数値)." },
    FISCAL_YEAR: { description: "The fiscal year the figure is about (年度)." },
    REPORT_ORDER: { description: "The order the report prints them in (掲載順)." },
  } as const,
});

export const FigureOrderInput = builder.inputType("FigureOrder", {
  description: "One key of a figure ordering (並べ替えキー); the ID breaks the last ties.",
  fields: (t) => ({
    field: t.field({ type: FigureOrderFieldEnum, required: true, description: "What to order by (並べ替え項目)." }),
    direction: t.field({ type: SortDirectionEnum, required: true, defaultValue: "asc", description: "Ascending (昇順, the default) or descending (降順)." }),
  }),
});

/** Either filter's fields: they share most, and each of the others belongs to one kind of figure. */
type FigureFilterArgs = Partial<typeof UsageFilterInput.$inferInput & typeof BeneficiaryFilterInput.$inferInput>;

/** The client's filter, IDs decoded to row keys. */
export function figureFilter(where: FigureFilterArgs | null | undefined, argumentName = "where"): FigureFilter | undefined {
  if (!where) return undefined;
  return {
    fiscalYears: where.fiscalYears,
    wardKeys: keysFromGlobalIds(where.wardIds, "Ward", `${argumentName}.wardIds`),
    hasWard: where.hasWard,
    units: where.units,
    isTotal: where.isTotal,
    metrics: where.metrics,
    labels: where.labels,
    groupKeys: keysFromGlobalIds(where.groupIds, "BeneficiaryGroup", `${argumentName}.groupIds`),
    projects: projectFilter(where.projects, `${argumentName}.projects`),
  };
}

export function figurePageOptions(args: { where?: FigureFilterArgs | null; orderBy?: ReadonlyArray<typeof FigureOrderInput.$inferInput> | null }): FigurePageOptions {
  return {
    where: figureFilter(args.where),
    orderBy: args.orderBy?.map((o) => ({ field: o.field, direction: o.direction === "desc" ? "desc" : "asc" })),
  };
}

export const usageListArgs = builder.args((t) => ({
  where: t.field({ type: UsageFilterInput, description: "Narrows the figures (絞り込み); fields combine with AND." }),
  orderBy: t.field({ type: [FigureOrderInput], description: "Ordering keys (並べ替え); the default is report order." }),
}));

export const beneficiaryListArgs = builder.args((t) => ({
  where: t.field({ type: BeneficiaryFilterInput, description: "Narrows the counts (絞り込み); fields combine with AND." }),
  orderBy: t.field({ type: [FigureOrderInput], description: "Ordering keys (並べ替え); the default is report order." }),
}));
