import { beneficiaryGroupPages } from "../../data/departments.ts";
import { beneficiaryPagesByGroup } from "../../data/figures.ts";
import { builder } from "../builder.ts";
import { loadAll } from "./connections.ts";
import { loadPage, loadProjectPage } from "./connections.ts";
import { beneficiaryListArgs, figurePageOptions } from "./figure-query.ts";
import { projectConnectionFields, projectListArgs } from "./project-query.ts";
import { FigureRef } from "./figure.ts";

export const BeneficiaryGroupRef = builder.node("BeneficiaryGroup", {
  description: "A group of people a project serves (受益者), e.g. 住民税非課税世帯 (households exempt from resident tax).",
  id: { resolve: (g) => g.key },
  loadMany: (ids, context) => loadAll(context.loaders.beneficiaryGroup, ids),
  fields: (t) => ({
    slug: t.exposeString("slug", { description: "Stable key of the group, shared across years (and across cities where the meaning is the same)." }),
    name: t.exposeString("nameJa", { description: "Name in Japanese (受益者区分), as printed." }),
    nameEn: t.exposeString("nameEn", { description: "Name in English." }),
    municipality: t.field({
      type: "Municipality",
      description: "The municipality whose reports name this group.",
      resolve: async (g, _args, context) => (await context.loaders.municipality.load(g.municipalityCode))!,
    }),
    projects: t.connection(
      {
        type: "Project",
        description: "Projects (事業) that report serving this group, in report order unless ordered otherwise.",
        args: projectListArgs,
        resolve: (g, args, context) => loadProjectPage(context, "beneficiaryGroup", g.key, args),
      },
      { fields: projectConnectionFields },
    ),
    counts: t.connection({
      type: "BeneficiaryCount",
      description: "Every count of this group (受益者数) across projects.",
      args: beneficiaryListArgs,
      resolve: (g, args, context) => {
        const options = figurePageOptions(args);
        return loadPage(context, `group.counts:${JSON.stringify(options)}`, g.key, args, (keys, a) => beneficiaryPagesByGroup(context.db, keys, a, options));
      },
    }),
  }),
});

export const BeneficiaryCountRef = builder.node("BeneficiaryCount", {
  description: "How many members of a beneficiary group a project served (受益者数).",
  interfaces: [FigureRef],
  id: { resolve: (b) => b.key },
  loadMany: (ids, context) => loadAll(context.loaders.beneficiaryCount, ids),
  fields: (t) => ({
    group: t.field({
      type: "BeneficiaryGroup",
      description: "The group counted (受益者).",
      resolve: async (b, _args, context) => (await context.loaders.beneficiaryGroup.load(b.groupKey))!,
    }),
    label: t.string({
      description: "The group's name in Japanese, for display beside the value.",
      resolve: async (b, _args, context) => (await context.loaders.beneficiaryGroup.load(b.groupKey))?.nameJa ?? "",
    }),
  }),
});

builder.queryField("beneficiaryGroups", (t) =>
  t.connection({
    type: "BeneficiaryGroup",
    description: "Beneficiary groups (受益者) named in the reports, by name.",
    resolve: async (_root, args, context) => (await beneficiaryGroupPages(context.db, null, args))[0]!,
  }),
);
