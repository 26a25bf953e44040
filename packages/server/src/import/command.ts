// The importer's command line as a function: arguments, environment, working folder and output
// streams in, exit code out. cli.ts runs it for the bin and `pnpm db:import`; tests call it in
// process too, so most CLI cases cost no Node and TypeScript start-up of their own.
// Exit codes: 0 imported (or valid with --dry-run), 1 invalid files or a failed write (nothing
// changed), 2 wrong usage.
import { resolve } from "node:path";
import { databaseOptionsFromEnv, launchFolder } from "../env.ts";
import { formatIssues, loadDataset } from "./load.ts";
import { progressReporter } from "./progress.ts";
import type { DatasetCounts } from "./write.ts";

/** Where the command writes: process.stdout/stderr, or any sink with write (isTTY picks the progress bar). */
export interface CommandOutput {
  write(text: string): unknown;
  isTTY?: boolean;
}

export interface ImportCommandContext {
  stdout: CommandOutput;
  stderr: CommandOutput;
  /** The environment the database settings come from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** The folder relative paths are taken from when not run by pnpm (default process.cwd()). */
  cwd?: string;
}

function describeCounts(c: DatasetCounts): string {
  return (
    `${c.departments} departments, ${c.projects} projects (line items included), ` +
    `${c.beneficiaryFigures + c.usageFigures} figures (${c.beneficiaryFigures} beneficiary, ${c.usageFigures} usage), ` +
    `total amount ${c.totalAmountThousandYen.toLocaleString("en-US")} thousand yen (each yen once: re-listed 再掲 projects left out, line items only where their project prints no amount)`
  );
}

/** Runs `welfare-graph-import <path> [--dry-run]`; resolves to the exit code. */
export async function importCommand(args: readonly string[], context: ImportCommandContext): Promise<0 | 1 | 2> {
  const { stdout, stderr, env = process.env, cwd = process.cwd() } = context;
  const dryRun = args.includes("--dry-run");
  const paths = args.filter((a) => !a.startsWith("--"));
  const unknown = args.filter((a) => a.startsWith("--") && a !== "--dry-run");
  if (paths.length !== 1 || unknown.length) {
    stderr.write("usage: pnpm db:import <dataset folder, e.g. data/ or data/431001/2023> [--dry-run]\n");
    return 2;
  }
  // `pnpm db:import` runs this script inside packages/server: a relative path means the folder it
  // was called from, as for every path the environment gives (env.ts, launchFolder).
  const path = resolve(launchFolder(env, cwd), paths[0] as string);

  const { dataset, issues } = loadDataset(path);
  if (issues.length) {
    stderr.write(`${formatIssues(issues)}\n`);
    stderr.write(`\n${issues.length} problem(s); nothing was imported.\n`);
    return 1;
  }
  // The database drivers take most of the start-up time; validation alone does not need them.
  const [{ createDatabase }, { migrateToLatest }, { countDataset, importDataset }] = await Promise.all([
    import("../db/database.ts"),
    import("../db/migrate.ts"),
    import("./write.ts"),
  ]);
  if (dryRun) {
    const counts = countDataset(dataset);
    stdout.write(`valid: ${counts.documents} document(s): ${describeCounts(counts)}. Nothing written (--dry-run).\n`);
    return 0;
  }

  const handle = await createDatabase(databaseOptionsFromEnv(env, cwd));
  try {
    await migrateToLatest(handle.db);
    const summary = await importDataset(handle.db, dataset, progressReporter(stderr));
    stdout.write(`imported ${summary.documents} document(s), ${summary.unchangedDocuments} of them unchanged: ${describeCounts(summary)}\n`);
    return 0;
  } catch (error) {
    stderr.write(`import failed, nothing was changed: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  } finally {
    await handle.close();
  }
}
