// Usage figures summed by ward, metric, fiscal year … (利用実績の集計).
import { type UsageDimension, type UsageTotal, usageTotalsPage } from "../../data/figure-query.ts";
import type { SortDirection } from "../../data/project-query.ts";
import { builder } from "../builder.ts";
import { pageArgs } from "./connections.ts";
import { figureFilter, UsageFilterInput } from "./figure-query.ts";
import { SpendingOrderInput } from "./spending.ts";
import { unitDescription } from "./unit.ts";

export const UsageDimensionEnum = builder.enumType("UsageDimension", {
  description: "What usage figures can be summed by (集計軸). The unit is always part of a bucket: sums never mix units.",
  values: {
    MUNICIPALITY: { description: "Municipality (地方公共団体)." },
    FISCAL_YEAR: { description: "The fiscal year a figure is about (年度)." },
    WARD: { description: "Ward (区); figures for the whole municipality go to the bucket whose ward is null." },
    METRIC: { description: "What is counted (項目), by its stable metric key." },
    PROJECT: { description: "Project (事業)." },
  } as const,
});

const UsageTotalRef = builder.objectRef<UsageTotal>("UsageTotal");
builder.objectType(UsageTotalRef, {
  description: "A sum of usage figures (利用実績の合計) of one bucket; keys not grouped by are null.",
  fields: (t) => ({
    municipality: t.field({
      type: "Municipality",
      nullable: true,
      description: "The municipality, when grouped by it.",
      resolve: async (u, _args, context) => (u.municipalityCode ? ((await context.loaders.municipality.load(u.municipalityCode)) ?? null) : null),
    }),
    fiscalYear: t.field({
      type: "FiscalYear",
      nullable: true,
      description: "The fiscal year (年度), when grouped by it.",
      resolve: async (u, _args, context) => (u.fiscalYear !== null ? ((await context.loaders.fiscalYear.load(u.fiscalYear)) ?? null) : null),
    }),
    ward: t.field({
      type: "Ward",
      nullable: true,
      description: "The ward (区), when grouped by WARD; null there for figures of the whole municipality.",
      resolve: async (u, _args, context) => (u.wardKey ? ((await context.loaders.ward.load(u.wardKey)) ?? null) : null),
    }),
    metric: t.string({ nullable: true, description: "The metric key, when grouped by METRIC.", resolve: (u) => u.metric }),
    label: t.string({ nullable: true, description: "A label of the metric as printed (項目名), when grouped by METRIC.", resolve: (u) => u.labelJa }),
    labelEn: t.string({ nullable: true, description: "The label in English, when grouped by METRIC.", resolve: (u) => u.labelEn }),
    project: t.field({
      type: "Project",
      nullable: true,
      description: "The project (事業), when grouped by PROJECT.",
      resolve: async (u, _args, context) => (u.projectKey ? ((await context.loaders.project.load(u.projectKey)) ?? null) : null),
    }),
    unit: t.string({ description: unitDescription("Unit of the figures summed"), resolve: (u) => u.unit }),
    count: t.exposeInt("count", { description: "Number of figures added (件数)." }),
    sum: t.field({ type: "Decimal", description: "Their exact sum (合計).", resolve: (u) => u.sum }),
  }),
});

builder.queryField("usageTotals", (t) =>
  t.connection({
    type: UsageTotalRef,
    description:
      "Usage figures (利用実績) summed by one to three dimensions plus their unit, by the database. Stated totals (合計, isTotal) are left out, their parts being summed; rates (PERCENT, POINTS) are left out, since they do not add up. Ordered by key unless ordered otherwise.",
    args: {
      groupBy: t.arg({ type: [UsageDimensionEnum], required: true, description: "One to three dimensions to sum by (集計軸)." }),
      where: t.arg({ type: UsageFilterInput, description: "Which figures to add up (絞り込み)." }),
      orderBy: t.arg({ type: [SpendingOrderInput], description: "Ordering keys (SUM, COUNT, KEY); the default is KEY ascending." }),
    },
    resolve: (_root, args, context) =>
      usageTotalsPage(
        context.db,
        {
          groupBy: args.groupBy as UsageDimension[],
          where: figureFilter(args.where),
          orderBy: args.orderBy?.map((o) => ({ field: o.field as "SUM" | "COUNT" | "KEY", direction: (o.direction ?? "asc") as SortDirection })),
        },
        pageArgs(args),
      ),
  }),
);
