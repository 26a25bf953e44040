// Project.series and Project.usageSeries: values per fiscal year with the change from the year before.
import { checkListLength } from "../../data/query-input.ts";
import { type ProjectSeriesPoint, projectSeries, type UsageSeries, type UsageSeriesPoint, usageSeries } from "../../data/series.ts";
import { builder, type SchemaTypes } from "../builder.ts";
import { ProjectRef } from "./project.ts";
import { unitDescription } from "./unit.ts";

const changeFields = (t: PothosSchemaTypes.ObjectFieldBuilder<SchemaTypes, { changeRatio: string | null; change: string | null }>, unitText: string) => ({
  changeRatio: t.field({
    type: "Decimal",
    nullable: true,
    description: "The change as a fraction of the previous year's value (増減率), 4 decimals (0.0525 = +5.25%); null without a previous value or when it was 0.",
    resolve: (p: { changeRatio: string | null }) => p.changeRatio,
  }),
  hasPreviousYear: t.boolean({
    description: `True when the fiscal year just before has a value${unitText}, so that the change is known.`,
    resolve: (p: { change: string | null }) => p.change !== null,
  }),
});

const ProjectSeriesPointRef = builder.objectRef<ProjectSeriesPoint>("ProjectSeriesPoint");
builder.objectType(ProjectSeriesPointRef, {
  description: "A project's spending in one fiscal year of its series (年度別実績), with the change from the year before (前年度比).",
  fields: (t) => ({
    fiscalYear: t.field({
      type: "FiscalYear",
      description: "The fiscal year (年度).",
      resolve: async (p, _args, context) => (await context.loaders.fiscalYear.load(p.fiscalYear))!,
    }),
    project: t.field({
      type: ProjectRef,
      description: "The project as reported that year.",
      resolve: async (p, _args, context) => (await context.loaders.project.load(p.projectKey))!,
    }),
    amountThousandYen: t.field({ type: "BigInt", nullable: true, description: "Actual spending (実績額) in thousand yen; null where none is shown.", resolve: (p) => p.amountThousandYen }),
    changeThousandYen: t.field({
      type: "BigInt",
      nullable: true,
      description: "Change from the fiscal year just before (前年度比増減), thousand yen; null when either year has no amount.",
      resolve: (p) => p.change,
    }),
    ...changeFields(t, " (an amount)"),
  }),
});

const UsageSeriesPointRef = builder.objectRef<UsageSeriesPoint>("UsageSeriesPoint");
builder.objectType(UsageSeriesPointRef, {
  description: "The value of a usage metric in one fiscal year (年度別利用実績), with the change from the year before.",
  fields: (t) => ({
    fiscalYear: t.field({
      type: "FiscalYear",
      description: "The fiscal year the figure is about (年度).",
      resolve: async (p, _args, context) => (await context.loaders.fiscalYear.load(p.fiscalYear))!,
    }),
    value: t.field({ type: "Decimal", description: "The value (数値), exact.", resolve: (p) => p.value }),
    change: t.field({ type: "Decimal", nullable: true, description: "Change from the fiscal year just before (前年度比増減); null when that year has no value.", resolve: (p) => p.change }),
    ...changeFields(t, ""),
    figure: t.field({
      type: "UsageFigure",
      description: "The figure the value was taken from (with its source).",
      resolve: async (p, _args, context) => (await context.loaders.usageFigure.load(p.figureKey))!,
    }),
  }),
});

const UsageSeriesRef = builder.objectRef<UsageSeries>("UsageSeries");
builder.objectType(UsageSeriesRef, {
  description:
    "A usage metric of a project followed across fiscal years (利用実績の推移): one series per metric, unit, ward and category. Each year takes the newest report's figure at its latest as-of date, so figures a later report quotes for earlier years (R2–R4) count too.",
  fields: (t) => ({
    metric: t.exposeString("metric", { description: "Stable key of what is counted (項目キー)." }),
    label: t.exposeString("labelJa", { description: "Label as printed (項目名), in the earliest year." }),
    labelEn: t.exposeString("labelEn", { description: "Label in English." }),
    unit: t.string({ description: unitDescription("Unit"), resolve: (s) => s.unit }),
    category: t.exposeString("categoryJa", { nullable: true, description: "Sub-table or heading (区分), when the figures have one." }),
    ward: t.field({
      type: "Ward",
      nullable: true,
      description: "The ward (区); null for the whole municipality.",
      resolve: async (s, _args, context) => (s.wardKey ? ((await context.loaders.ward.load(s.wardKey)) ?? null) : null),
    }),
    points: t.field({ type: [UsageSeriesPointRef], description: "One value per fiscal year, oldest first.", resolve: (s) => s.points }),
  }),
});

builder.objectFields(ProjectRef, (t) => ({
  series: t.field({
    type: [ProjectSeriesPointRef],
    description: "This project's spending in every fiscal year of its series (seriesKey), oldest first, with the change from the year before (前年度比).",
    resolve: (p, _args, context) => context.loaders.keyed("project.series", (keys) => projectSeries(context.db, keys)).load(p.key),
  }),
  usageSeries: t.field({
    type: [UsageSeriesRef],
    description: "This project's usage metrics across fiscal years (利用実績の推移), one series per metric, unit, ward and category.",
    args: { metrics: t.arg.stringList({ description: "Only these metrics (項目キー); all when left out." }) },
    resolve: (p, args, context) => {
      checkListLength(args.metrics, "metrics");
      const filter = { metrics: args.metrics };
      return context.loaders.keyed(`project.usageSeries:${JSON.stringify(filter)}`, (keys) => usageSeries(context.db, keys, filter)).load(p.key);
    },
  }),
}));
