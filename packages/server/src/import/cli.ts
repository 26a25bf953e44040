// pnpm db:import <path…> [--dry-run]: validate everything, then write in one transaction.
import { databaseOptionsFromEnv } from "../config.ts";
import { createDatabase } from "../db/database.ts";
import { migrateToLatest } from "../db/migrate.ts";
import { formatIssues, loadDataset } from "./load.ts";
import { type ImportProgress, importDataset } from "./write.ts";

const args = process.argv.slice(2);
const dryRun = args.includes("--dry-run");
const paths = args.filter((a) => !a.startsWith("--"));
const unknown = args.filter((a) => a.startsWith("--") && a !== "--dry-run");
if (paths.length !== 1 || unknown.length) {
  console.error("usage: pnpm db:import <dataset folder, e.g. data/ or data/431001/2023> [--dry-run]");
  process.exit(2);
}
const [path] = paths as [string];

const { dataset, issues } = loadDataset(path);
if (issues.length) {
  console.error(formatIssues(issues));
  console.error(`\n${issues.length} problem(s); nothing was imported.`);
  process.exit(1);
}
const projects = dataset.bundles.reduce((n, b) => n + b.departments.reduce((m, d) => m + d.data.projects.length, 0), 0);
if (dryRun) {
  console.log(`${path}: valid — ${dataset.bundles.length} document(s), ${projects} top-level projects. Nothing written (--dry-run).`);
  process.exit(0);
}

const progress: ImportProgress = process.stderr.isTTY
  ? ({ bundle, step, done, total }) => {
      const width = 30;
      const filled = Math.round((done / total) * width);
      process.stderr.write(`\r\x1b[K${bundle} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total} ${step}`);
      if (done === total) process.stderr.write("\n");
    }
  : ({ bundle, step, done, total }) => console.error(`${bundle}: ${done}/${total} ${step}`);

const handle = await createDatabase(databaseOptionsFromEnv());
try {
  await migrateToLatest(handle.db);
  const s = await importDataset(handle.db, dataset, progress);
  console.log(
    `imported ${s.documents} document(s) (${s.unchangedDocuments} unchanged): ${s.departments} departments, ` +
      `${s.projects} projects, ${s.beneficiaryFigures} beneficiary figures, ${s.usageFigures} usage figures, ` +
      `total ${s.totalAmountThousandYen.toLocaleString("en-US")} thousand yen`,
  );
} catch (error) {
  console.error(`import failed, nothing was changed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
