// Temporary copies of datasets to break on purpose, and the importer CLI: as a child process
// (the bin, as an operator runs it) or in this process (the same command function, for the
// cases where a process of its own would add only start-up time).
import { execFile } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { importCommand } from "../../packages/server/src/import/command.ts";

export const repositoryRoot = path.join(import.meta.dirname, "../..");
export const bundledDataset = path.join(repositoryRoot, "data");
export const exampleDataset = path.join(repositoryRoot, "docs/examples/minimal-dataset");
export const importBin = path.join(repositoryRoot, "packages/server/bin/import.mjs");

export interface DatasetCopy {
  /** The copy's root folder, named `dataset` so messages show `dataset/<code>/…`. */
  root: string;
  read(file: string): string;
  write(file: string, text: string): void;
  /** Replaces exactly one occurrence of `from`; returns the 1-based line of the replacement. */
  replace(file: string, from: string, to: string): number;
  remove(file: string): void;
  dispose(): void;
}

export function lineOf(text: string, needle: string): number {
  const at = text.indexOf(needle);
  if (at < 0) throw new Error(`"${needle}" not found`);
  return text.slice(0, at).split("\n").length;
}

export function copyDataset(source: string): DatasetCopy {
  const parent = mkdtempSync(path.join(tmpdir(), "wg-import-"));
  const root = path.join(parent, "dataset");
  cpSync(source, root, { recursive: true });
  const full = (file: string) => path.join(root, file);
  const copy: DatasetCopy = {
    root,
    read: (file) => readFileSync(full(file), "utf8"),
    write: (file, text) => writeFileSync(full(file), text),
    replace(file, from, to) {
      const text = copy.read(file);
      const first = text.indexOf(from);
      if (first < 0 || text.indexOf(from, first + 1) >= 0) throw new Error(`"${from}" must occur exactly once in ${file}`);
      copy.write(file, text.replace(from, to));
      return lineOf(text, from);
    },
    remove: (file) => rmSync(full(file)),
    dispose: () => rmSync(parent, { recursive: true, force: true }),
  };
  return copy;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the server package's bin, as an operator would, with only the given database settings. */
export function runImportCli(args: string[], options: { env: Record<string, string>; cwd?: string }): Promise<CliRun> {
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env };
  return new Promise((resolve) => {
    execFile(process.execPath, [importBin, ...args], { env, cwd: options.cwd ?? repositoryRoot, timeout: 60_000 }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : null) : 0;
      resolve({ code, stdout, stderr });
    });
  });
}

/**
 * Runs the command the bin runs (importCommand) in this process, with the same arguments,
 * environment and folder, capturing what it writes. Not a terminal, as for the child process.
 */
export async function runImportCommand(args: string[], options: { env: Record<string, string>; cwd?: string }): Promise<CliRun> {
  let stdout = "";
  let stderr = "";
  const code = await importCommand(args, {
    stdout: { write: (text: string) => (stdout += text) },
    stderr: { write: (text: string) => (stderr += text) },
    env: { PATH: process.env.PATH, HOME: process.env.HOME, ...options.env },
    cwd: options.cwd ?? repositoryRoot,
  });
  return { code, stdout, stderr };
}
