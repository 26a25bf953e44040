// pnpm db:import <path> [--dry-run] (or the package bin, welfare-graph-import): validate
// everything, then write in one transaction. Exit codes: 0 imported (or valid with --dry-run),
// 1 invalid files or a failed write (nothing changed), 2 wrong usage.
import { resolve } from "node:path";
import { databaseOptionsFromEnv, launchFolder } from "../config.ts";
import { formatIssues, loadDataset } from "./load.ts";
import { progressReporter } from "./progress.ts";
import type { DatasetCounts } from "./write.ts";

const args = process.argv.slice(2);
const dryRun = args.includes("--dry-run");
const paths = args.filter((a) => !a.startsWith("--"));
const unknown = args.filter((a) => a.startsWith("--") && a !== "--dry-run");
if (paths.length !== 1 || unknown.length) {
  console.error("usage: pnpm db:import <dataset folder, e.g. data/ or data/431001/2023> [--dry-run]");
  process.exit(2);
}
// `pnpm db:import` runs this script inside packages/server: a relative path means the folder it
// was called from, as for every path the environment gives (config.ts, launchFolder).
const path = resolve(launchFolder(), paths[0] as string);

function describeCounts(c: DatasetCounts): string {
  return (
    `${c.departments} departments, ${c.projects} projects (line items included), ` +
    `${c.beneficiaryFigures + c.usageFigures} figures (${c.beneficiaryFigures} beneficiary, ${c.usageFigures} usage), ` +
    `total amount ${c.totalAmountThousandYen.toLocaleString("en-US")} thousand yen (each yen once: re-listed 再掲 projects left out, line items only where their project prints no amount)`
  );
}

const { dataset, issues } = loadDataset(path);
if (issues.length) {
  console.error(formatIssues(issues));
  console.error(`\n${issues.length} problem(s); nothing was imported.`);
  process.exit(1);
}
// The database drivers take most of the start-up time; validation alone does not need them.
const [{ createDatabase }, { migrateToLatest }, { countDataset, importDataset }] = await Promise.all([
  import("../db/database.ts"),
  import("../db/migrate.ts"),
  import("./write.ts"),
]);
if (dryRun) {
  const counts = countDataset(dataset);
  console.log(`valid: ${counts.documents} document(s): ${describeCounts(counts)}. Nothing written (--dry-run).`);
  process.exit(0);
}

const handle = await createDatabase(databaseOptionsFromEnv());
try {
  await migrateToLatest(handle.db);
  const summary = await importDataset(handle.db, dataset, progressReporter(process.stderr));
  console.log(
    `imported ${summary.documents} document(s), ${summary.unchangedDocuments} of them unchanged: ${describeCounts(summary)}`,
  );
} catch (error) {
  console.error(`import failed, nothing was changed: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 1;
} finally {
  await handle.close();
}
