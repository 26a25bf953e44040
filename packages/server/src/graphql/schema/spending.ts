// Spending grouped by department, fiscal year, flag, beneficiary group or municipality.
import type { SortDirection } from "../../data/project-query.ts";
import { type SpendingBucket, type SpendingDimension, type SpendingOrderField, spendingPage } from "../../data/spending.ts";
import { builder } from "../builder.ts";
import { pageArgs } from "./connections.ts";
import { ProjectFlagEnum } from "./project.ts";
import { ProjectAmountRef, ProjectFilterInput, projectFilter, SortDirectionEnum } from "./project-query.ts";

export const SpendingDimensionEnum = builder.enumType("SpendingDimension", {
  description: "What spending can be grouped by (集計軸).",
  values: {
    MUNICIPALITY: { description: "Municipality (地方公共団体)." },
    FISCAL_YEAR: { description: "Fiscal year (年度)." },
    DEPARTMENT: { description: "Department (所属)." },
    FLAG: { description: "Mark (新規 / 拡充 / 再掲); a project with two marks is in both buckets, one with none in the bucket whose flag is null." },
    BENEFICIARY_GROUP: {
      description:
        "Beneficiary group (受益者); a project serving several groups is in each of their buckets (so buckets overlap), one reporting none in the bucket whose group is null.",
    },
  } as const,
});

export const SpendingOrderFieldEnum = builder.enumType("SpendingOrderField", {
  description: "What spending buckets can be ordered by.",
  values: {
    SUM: { description: "Total amount (合計額)." },
    COUNT: { description: "Number of projects (件数)." },
    KEY: {
      description:
        "The bucket's keys, in groupBy order (fiscal years by year; departments, groups and municipalities in the order they were imported, which is report order within one report).",
    },
  } as const,
});

export const SpendingOrderInput = builder.inputType("SpendingOrder", {
  description: "One key of a bucket ordering; the bucket keys break the last ties.",
  fields: (t) => ({
    field: t.field({ type: SpendingOrderFieldEnum, required: true, description: "What to order by (並べ替え項目)." }),
    direction: t.field({ type: SortDirectionEnum, required: true, defaultValue: "asc", description: "Ascending (昇順, the default) or descending (降順)." }),
  }),
});

const SpendingBucketRef = builder.objectRef<SpendingBucket>("SpendingBucket");
builder.objectType(SpendingBucketRef, {
  description: "Spending of one group of projects (集計結果): its keys (those not grouped by are null), how many projects and their total.",
  fields: (t) => ({
    municipality: t.field({
      type: "Municipality",
      nullable: true,
      description: "The municipality (地方公共団体), when grouped by it or by department.",
      resolve: async (b, _args, context) => (b.municipalityCode ? ((await context.loaders.municipality.load(b.municipalityCode)) ?? null) : null),
    }),
    fiscalYear: t.field({
      type: "FiscalYear",
      nullable: true,
      description: "The fiscal year (年度), when grouped by it.",
      resolve: async (b, _args, context) => (b.fiscalYear !== null ? ((await context.loaders.fiscalYear.load(b.fiscalYear)) ?? null) : null),
    }),
    department: t.field({
      type: "Department",
      nullable: true,
      description: "The department (所属), when grouped by it.",
      resolve: async (b, _args, context) => (b.departmentKey ? ((await context.loaders.department.load(b.departmentKey)) ?? null) : null),
    }),
    flag: t.field({
      type: ProjectFlagEnum,
      nullable: true,
      description: "The mark (新規 / 拡充 / 再掲), when grouped by FLAG; null there for projects without any mark.",
      resolve: (b) => (b.flag === "NONE" ? null : b.flag),
    }),
    beneficiaryGroup: t.field({
      type: "BeneficiaryGroup",
      nullable: true,
      description: "The beneficiary group (受益者), when grouped by it; null there for projects that report none.",
      resolve: async (b, _args, context) => (b.beneficiaryGroupKey ? ((await context.loaders.beneficiaryGroup.load(b.beneficiaryGroupKey)) ?? null) : null),
    }),
    count: t.exposeInt("count", { description: "Number of projects in the bucket (件数)." }),
    countWithAmount: t.exposeInt("countWithAmount", { description: "Number of those with an amount (ー excluded)." }),
    sum: t.field({ type: ProjectAmountRef, description: "Total amount (合計額), exact.", resolve: (b) => ({ thousandYen: b.sumThousandYen }) }),
  }),
});

builder.queryField("spending", (t) =>
  t.connection({
    type: SpendingBucketRef,
    description:
      "Spending (実績額) grouped by one or two dimensions (集計), computed by the database over the projects matching `where`. Amounts are added without counting anything twice: re-listed projects (再掲) are left out unless includeRelisted is true, and a line item (内訳) is left out when its parent, stating an amount of its own, is added up too (so a list of line items alone adds them up). Largest sum first unless ordered otherwise.",
    args: {
      groupBy: t.arg({ type: [SpendingDimensionEnum], required: true, description: "One or two dimensions to group by (集計軸)." }),
      where: t.arg({ type: ProjectFilterInput, description: "Which projects to add up (絞り込み)." }),
      includeRelisted: t.arg.boolean({
        defaultValue: false,
        description: "Also add re-listed projects (再掲), whose amounts are already counted where they are first listed. Default false.",
      }),
      orderBy: t.arg({ type: [SpendingOrderInput], description: "Ordering keys; the default is SUM descending." }),
    },
    resolve: (_root, args, context) =>
      spendingPage(
        context.db,
        {
          groupBy: args.groupBy as SpendingDimension[],
          where: projectFilter(args.where),
          includeRelisted: args.includeRelisted ?? false,
          orderBy: args.orderBy?.map((o) => ({ field: o.field as SpendingOrderField, direction: (o.direction ?? "asc") as SortDirection })),
        },
        pageArgs(args),
      ),
  }),
);
