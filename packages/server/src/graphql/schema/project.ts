import { yenFromThousandYen } from "../../data/amounts.ts";
import { beneficiaryPagesByProject, usagePagesByProject } from "../../data/figures.ts";
import { builder } from "../builder.ts";
import { loadAll } from "./connections.ts";
import { loadPage, loadProjectPage } from "./connections.ts";
import { beneficiaryListArgs, figurePageOptions, usageListArgs } from "./figure-query.ts";
import { projectConnectionFields, projectListArgs } from "./project-query.ts";

export const ProjectFlagEnum = builder.enumType("ProjectFlag", {
  description: "Marks the report puts on a project.",
  values: {
    NEW: { description: "New this year (新規)." },
    EXPANDED: { description: "Expanded this year (拡充)." },
    RELISTED: { description: "Listed again from another section (再掲): do not add its amount twice." },
  },
});

export const ProjectRef = builder.node("Project", {
  description: "A welfare project (事業) of a department in one fiscal year, with its spending (実績額) and results.",
  id: { resolve: (p) => p.key },
  loadMany: (ids, context) => loadAll(context.loaders.project, ids),
  fields: (t) => ({
    seriesKey: t.exposeString("seriesKey", { description: "Stable key that follows the same project across fiscal years." }),
    name: t.exposeString("nameJa", { description: "Name as printed (事業名), in Japanese." }),
    nameEn: t.exposeString("nameEn", { description: "Name in English." }),
    description: t.exposeString("descriptionJa", { nullable: true, description: "What was done (事業内容), in Japanese, as printed." }),
    descriptionEn: t.exposeString("descriptionEn", { nullable: true, description: "What was done, in English, where translated." }),
    fiscalYear: t.field({
      type: "FiscalYear",
      description: "The fiscal year (年度) of the results.",
      resolve: async (p, _args, context) => (await context.loaders.fiscalYear.load(p.fiscalYear))!,
    }),
    amountThousandYen: t.field({
      type: "BigInt",
      nullable: true,
      description: "Actual spending (実績額) in thousand yen (千円), as printed; null where the report shows ー or no amount.",
      resolve: (p) => p.amountThousandYen,
    }),
    amountYen: t.field({
      type: "BigInt",
      nullable: true,
      description: "Actual spending (実績額) in yen (円): amountThousandYen × 1000.",
      resolve: (p) => yenFromThousandYen(p.amountThousandYen),
    }),
    amountNote: t.exposeString("amountNote", { nullable: true, description: "Qualifier of the amount as printed, e.g. 扶助費のみ (benefit payments only)." }),
    flags: t.field({ type: [ProjectFlagEnum], description: "New (新規), expanded (拡充), re-listed (再掲).", resolve: (p) => p.flags }),
    municipality: t.field({
      type: "Municipality",
      description: "The municipality running the project.",
      resolve: async (p, _args, context) => (await context.loaders.municipality.load(p.municipalityCode))!,
    }),
    department: t.field({
      type: "Department",
      description: "The department (所属) running the project.",
      resolve: async (p, _args, context) => (await context.loaders.department.load(p.departmentKey))!,
    }),
    parent: t.field({
      type: "Project",
      nullable: true,
      description: "For a line item, the project it is listed inside; null for a top-level project.",
      resolve: async (p, _args, context) => (p.parentKey ? ((await context.loaders.project.load(p.parentKey)) ?? null) : null),
    }),
    lineItems: t.connection(
      {
        type: "Project",
        description: "Line items listed inside this project, each with its own amount (内訳).",
        args: projectListArgs,
        resolve: (p, args, context) => loadProjectPage(context, "lineItems", p.key, args),
      },
      { fields: projectConnectionFields },
    ),
    beneficiaries: t.connection({
      type: "BeneficiaryCount",
      description: "Who the project served (受益者) and how many.",
      args: beneficiaryListArgs,
      resolve: (p, args, context) => {
        const options = figurePageOptions(args);
        return loadPage(context, `project.beneficiaries:${JSON.stringify(options)}`, p.key, args, (keys, a) => beneficiaryPagesByProject(context.db, keys, a, options));
      },
    }),
    usage: t.connection({
      type: "UsageFigure",
      description: "How much the project was used (利用実績): counts, rates, ward breakdowns.",
      args: usageListArgs,
      resolve: (p, args, context) => {
        const options = figurePageOptions(args);
        return loadPage(context, `project.usage:${JSON.stringify(options)}`, p.key, args, (keys, a) => usagePagesByProject(context.db, keys, a, options));
      },
    }),
    source: t.field({
      type: "SourceReference",
      description: "Document and page the project was taken from (出典).",
      resolve: (p) => ({ documentKey: p.documentKey, page: p.page }),
    }),
  }),
});

builder.queryField("projects", (t) =>
  t.connection(
    {
      type: "Project",
      description:
        "Projects (事業) of every municipality and year, in report order unless ordered otherwise (line items included), filtered by `where`; `aggregate` sums the whole filtered list.",
      args: projectListArgs,
      resolve: (_root, args, context, info) => loadProjectPage(context, "root", "", args, info),
    },
    { fields: projectConnectionFields },
  ),
);

builder.queryField("project", (t) =>
  t.field({
    type: "Project",
    nullable: true,
    description: "A project by its global ID; null when it does not exist.",
    args: { id: t.arg.globalID({ required: true, for: ProjectRef, description: "Global ID of the project." }) },
    resolve: async (_root, { id }, context) => (await context.loaders.project.load(id.id)) ?? null,
  }),
);
