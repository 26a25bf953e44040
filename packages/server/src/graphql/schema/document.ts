import { documentPagesByMunicipality } from "../../data/catalog.ts";
import { builder } from "../builder.ts";
import { loadAll } from "./connections.ts";
import { loadProjectPage } from "./connections.ts";
import { projectConnectionFields, projectListArgs } from "./project-query.ts";

export const SourceDocumentRef = builder.node("SourceDocument", {
  description: "A published report (報告書) that facts were taken from: their provenance.",
  id: { resolve: (d) => d.key },
  loadMany: (ids, context) => loadAll(context.loaders.document, ids),
  fields: (t) => ({
    slug: t.exposeString("slug", { description: "Stable key of the document within its municipality." }),
    title: t.exposeString("titleJa", { description: "Title as published (表題), in Japanese." }),
    titleEn: t.exposeString("titleEn", { description: "Title in English." }),
    pageCount: t.exposeInt("pageCount", { description: "Number of pages (ページ数)." }),
    sourceFile: t.exposeString("sourceFile", { nullable: true, description: "File the data was transcribed from." }),
    sourceUrl: t.exposeString("sourceUrl", { nullable: true, description: "Where the document is published, when known." }),
    publisher: t.exposeString("publisherJa", { nullable: true, description: "Publisher (発行者), in Japanese." }),
    importedAt: t.field({ type: "DateTime", description: "When this version of the data was imported.", resolve: (d) => d.importedAt }),
    municipality: t.field({
      type: "Municipality",
      description: "The municipality that published it.",
      resolve: async (d, _args, context) => (await context.loaders.municipality.load(d.municipalityCode))!,
    }),
    fiscalYear: t.field({
      type: "FiscalYear",
      description: "The fiscal year (年度) it reports on.",
      resolve: async (d, _args, context) => (await context.loaders.fiscalYear.load(d.fiscalYear))!,
    }),
    projects: t.connection(
      {
        type: "Project",
        description: "Projects (事業) taken from this document, in report order unless ordered otherwise.",
        args: projectListArgs,
        resolve: (d, args, context) => loadProjectPage(context, "document", d.key, args),
      },
      { fields: projectConnectionFields },
    ),
  }),
});

export const SourceReferenceRef = builder.objectType("SourceReference", {
  description: "Provenance of a fact (出典): the document and page it was taken from.",
  fields: (t) => ({
    document: t.field({
      type: "SourceDocument",
      description: "The source document.",
      resolve: async (s, _args, context) => (await context.loaders.document.load(s.documentKey))!,
    }),
    page: t.exposeInt("page", { description: "Page of the document (1-based)." }),
  }),
});

builder.queryField("documents", (t) =>
  t.connection({
    type: "SourceDocument",
    description: "All source documents (報告書), newest fiscal year first.",
    resolve: async (_root, args, context) => (await documentPagesByMunicipality(context.db, null, args))[0]!,
  }),
);
