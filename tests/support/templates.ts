// The databases every test file starts from, built once per run: migrated; migrated and loaded
// with the bundled dataset; migrated and loaded with the generated dataset (the query tests).
// The same real migrations and importer as production, on either engine.
import path from "node:path";
import { loadBundledDataset } from "../../packages/server/src/app-database.ts";
import type { DatabaseHandle } from "../../packages/server/src/db/database.ts";
import { migrateToLatest } from "../../packages/server/src/db/migrate.ts";
import { importDataset } from "../../packages/server/src/import/write.ts";
import { generateDataset } from "./generated-dataset.ts";

export const templateNames = ["migrated", "loaded", "generated"] as const;
export type TemplateName = (typeof templateNames)[number];

/** Fills a new, empty database as the template of that name. */
export async function prepareTemplate(handle: DatabaseHandle, template: TemplateName): Promise<void> {
  await migrateToLatest(handle.db);
  if (template === "loaded") await loadBundledDataset(handle);
  if (template === "generated") await importDataset(handle.db, generateDataset());
}

/** Where the PGlite dump of a template is written (support/pglite-templates.ts), and where a failed build says why. */
export const pgliteTemplateFile = (folder: string, template: TemplateName) => path.join(folder, `${template}.tar`);
export const pgliteTemplateFailure = (folder: string) => path.join(folder, "failed.txt");
