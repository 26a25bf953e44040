// pnpm db:import <path> [--dry-run] (or the package bin, welfare-graph-import): validate
// everything, then write in one transaction. The command itself, and its exit codes, are in
// command.ts; this file only connects it to the process.
import { compileWebAssemblyForOneJob } from "../db/one-job.ts";
import { importCommand } from "./command.ts";

compileWebAssemblyForOneJob();

process.exitCode = await importCommand(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
