import { documentPagesByMunicipality, municipalityPage, wardPagesByMunicipality } from "../../data/catalog.ts";
import { departmentPages } from "../../data/departments.ts";
import type { Department, Municipality } from "../../data/model.ts";
import type { Page } from "../../data/pagination.ts";
import { builder } from "../builder.ts";
import { planRootNode, preloaded } from "../plan/planner.ts";
import { loadAll, loadPage } from "./connections.ts";

export const MunicipalityRef = builder.node("Municipality", {
  description: "A Japanese municipality (地方公共団体), such as a city.",
  id: { resolve: (m) => m.code },
  loadMany: (codes, context) => loadAll(context.loaders.municipality, codes),
  fields: (t) => ({
    code: t.exposeString("code", { description: "6-digit local government code with check digit (全国地方公共団体コード), e.g. 431001." }),
    code5: t.exposeString("code5", { description: "5-digit form of the code, without the check digit (e.g. 43100)." }),
    name: t.exposeString("nameJa", { description: "Name in Japanese (名称), e.g. 熊本市." }),
    nameEn: t.exposeString("nameEn", { description: "Name in English, e.g. Kumamoto City." }),
    prefecture: t.exposeString("prefectureJa", { description: "Prefecture in Japanese (都道府県)." }),
    prefectureEn: t.exposeString("prefectureEn", { description: "Prefecture in English." }),
  }),
});

builder.objectFields(MunicipalityRef, (t) => ({
  wards: t.connection({
    type: "Ward",
    description: "Wards (区) of a designated city, in the city's own order.",
    resolve: (m, args, context, info) => loadPage(context, info, m.code, args, (codes, a) => wardPagesByMunicipality(context.db, codes, a)),
  }),
  departments: t.connection({
    type: "Department",
    description: "Departments (所属) of the municipality, in report order.",
    resolve: (m, args, context, info) =>
      preloaded<Page<Department>>(m, info) ?? loadPage(context, info, m.code, args, (codes, a) => departmentPages(context.db, codes, a)),
  }),
  documents: t.connection({
    type: "SourceDocument",
    description: "Source documents (報告書) imported for the municipality, newest fiscal year first.",
    resolve: (m, args, context, info) => loadPage(context, info, m.code, args, (codes, a) => documentPagesByMunicipality(context.db, codes, a)),
  }),
}));

builder.queryField("municipalities", (t) =>
  t.connection({
    type: "Municipality",
    description: "Municipalities (地方公共団体) with data, by code.",
    resolve: (_root, args, context) => municipalityPage(context.db, args),
  }),
);

builder.queryField("municipality", (t) =>
  t.field({
    type: "Municipality",
    nullable: true,
    description: "A municipality by its 6-digit code (全国地方公共団体コード); null when unknown.",
    args: { code: t.arg.string({ required: true, description: "6-digit code, e.g. 431001." }) },
    resolve: async (_root, { code }, context, info) => {
      const planned = await planRootNode<Municipality>(context, info, "municipality", [code]);
      return planned !== undefined ? planned : ((await context.loaders.municipality.load(code)) ?? null);
    },
  }),
);
