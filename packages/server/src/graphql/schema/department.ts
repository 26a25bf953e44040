import { departmentPages } from "../../data/departments.ts";
import { builder } from "../builder.ts";
import { loadAll } from "./connections.ts";
import { loadProjectPage } from "./connections.ts";
import { projectConnectionFields, projectListArgs } from "./project-query.ts";

export const DepartmentRef = builder.node("Department", {
  description: "A department (所属) of a municipality that runs welfare projects, e.g. 保護管理援護課.",
  id: { resolve: (d) => d.key },
  loadMany: (ids, context) => loadAll(context.loaders.department, ids),
  fields: (t) => ({
    slug: t.exposeString("slug", { description: "Stable key of the department within its municipality." }),
    name: t.exposeString("nameJa", { description: "Name in Japanese (所属名), as printed." }),
    nameEn: t.exposeString("nameEn", { description: "Name in English." }),
    municipality: t.field({
      type: "Municipality",
      description: "The municipality it belongs to.",
      resolve: async (d, _args, context) => (await context.loaders.municipality.load(d.municipalityCode))!,
    }),
    projects: t.connection(
      {
        type: "Project",
        description: "Projects (事業) of the department, in report order unless ordered otherwise, line items included.",
        args: projectListArgs,
        resolve: (d, args, context) => loadProjectPage(context, "department", d.key, args),
      },
      { fields: projectConnectionFields },
    ),
  }),
});

builder.queryField("departments", (t) =>
  t.connection({
    type: "Department",
    description: "Departments (所属) of every municipality, in report order.",
    resolve: async (_root, args, context) => (await departmentPages(context.db, null, args))[0]!,
  }),
);
