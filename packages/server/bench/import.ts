// pnpm bench:import [projects per department]: times the importer's write step on a generated
// dataset (tests/support/generated-dataset.ts: 2 municipalities × 3 fiscal years × 4
// departments, with line items, figures and ward totals) into a fresh PostgreSQL database,
// then a second import of the same data (every document unchanged) and one with every
// document changed (rewritten in place, ids kept). BENCH_DATABASE_URL picks the server.
import { randomBytes } from "node:crypto";
import { performance } from "node:perf_hooks";
import { generateDataset } from "../../../tests/support/generated-dataset.ts";
import { createPostgresDatabase, dropPostgresDatabase, withDatabase } from "../../../tests/support/postgres-admin.ts";
import { createDatabase } from "../src/db/database.ts";
import { migrateToLatest } from "../src/db/migrate.ts";
import { countDataset, importDataset } from "../src/import/write.ts";
import { adminUrl } from "./serve.ts";

const perDepartment = Number(process.argv[2] ?? 4_700);
const name = `wg_bench_import_${randomBytes(4).toString("hex")}`;

const dataset = generateDataset({ projectsPerDepartment: perDepartment });
const counts = countDataset(dataset);
console.log(`dataset: ${counts.documents} documents, ${counts.projects} projects, ${counts.beneficiaryFigures + counts.usageFigures} figures`);
await createPostgresDatabase(adminUrl, name);
const handle = await createDatabase({ url: withDatabase(adminUrl, name) });
try {
  await migrateToLatest(handle.db);
  const time = async (label: string, data: typeof dataset) => {
    const start = performance.now();
    await importDataset(handle.db, data);
    const seconds = (performance.now() - start) / 1000;
    console.log(`${label.padEnd(34)} ${seconds.toFixed(1).padStart(7)} s  (${Math.round(counts.projects / seconds).toLocaleString("en-US")} projects/s)`);
  };
  await time("first import", dataset);
  await time("same data again (unchanged)", dataset);
  // Every document changed: a new title forces each to be rewritten, projects matched by key.
  await time("every document changed", {
    ...dataset,
    bundles: dataset.bundles.map((b) => ({ ...b, document: { ...b.document, titleEn: `${b.document.titleEn} (rev.)` } })),
  });
} finally {
  await handle.close();
  await dropPostgresDatabase(adminUrl, name);
}
