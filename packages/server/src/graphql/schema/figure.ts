
import { builder } from "../builder.ts";
import { unitDescription, unitNames } from "./unit.ts";

export const FigureRef = builder.interfaceType("Figure", {
  description: "A number a project reports (実績値), with its unit, scope and source.",
  fields: (t) => ({
    value: t.field({ type: "Decimal", description: "The number as printed, exact (数値).", resolve: (f) => f.value }),
    unit: t.string({ description: unitDescription("Unit of the value"), resolve: (f) => f.unit }),
    unitName: t.string({ description: "Unit as printed in Japanese, e.g. 世帯.", resolve: async (f, _args, context) => (await unitNames(context, f.unit)).nameJa }),
    unitNameEn: t.string({ description: "Unit in English, e.g. households.", resolve: async (f, _args, context) => (await unitNames(context, f.unit)).nameEn }),
    ward: t.field({
      type: "Ward",
      nullable: true,
      description: "The ward (区) the figure is for; null for the whole municipality.",
      resolve: async (f, _args, context) => (f.wardKey ? ((await context.loaders.ward.load(f.wardKey)) ?? null) : null),
    }),
    fiscalYear: t.field({
      type: "FiscalYear",
      description: "The fiscal year (年度) the figure is about; differs from the project's when the report quotes other years.",
      resolve: async (f, _args, context) => (await context.loaders.fiscalYear.load(f.fiscalYear))!,
    }),
    asOf: t.string({
      nullable: true,
      description: "Date the figure is as of (時点), at the precision printed: YYYY, YYYY-MM or YYYY-MM-DD.",
      resolve: (f) => f.asOf,
    }),
    isTotal: t.boolean({
      description: "True when the figure is a total the report states (合計) of figures listed beside it: leave it out when summing those.",
      resolve: (f) => f.isTotal,
    }),
    note: t.string({ nullable: true, description: "Qualifier as printed (注記), in Japanese, e.g. 約.", resolve: (f) => f.noteJa }),
    noteEn: t.string({ nullable: true, description: "Qualifier in English, e.g. approximately.", resolve: (f) => f.noteEn }),
    project: t.field({
      type: "Project",
      description: "The project (事業) that reports the figure.",
      resolve: async (f, _args, context) => (await context.loaders.project.load(f.projectKey))!,
    }),
    source: t.field({
      type: "SourceReference",
      description: "Document and page the figure was taken from (出典).",
      resolve: (f) => ({ documentKey: f.documentKey, page: f.page }),
    }),
  }),
});
