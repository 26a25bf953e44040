// Once per run: decides whether the PostgreSQL half of the suite can run, and builds the
// databases every test file starts from (support/templates.ts), so that no file migrates or
// imports on its own: on PostgreSQL, template databases (each file clones one with CREATE
// DATABASE … TEMPLATE), built before any file starts; on PGlite, dumped data folders (each
// file opens an in-memory PGlite from one), built by a process of its own while the first
// files run, and waited for by the files that need them. Without a server the PGlite half
// still runs and we say so loudly; in CI an unreachable server fails the run.
import { type ChildProcess, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { createDatabase } from "../../packages/server/src/db/database.ts";
import { createPostgresDatabase, dropPostgresDatabase, withDatabase } from "./postgres-admin.ts";
import { pgliteTemplateFailure, prepareTemplate, type TemplateName, templateNames } from "./templates.ts";

export const defaultPostgresUrl = "postgres://postgres@127.0.0.1:5432/test";

async function postgresReachable(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
}

async function postgresTemplates(url: string): Promise<{ names: Record<TemplateName, string>; drop: () => Promise<void> }> {
  const run = randomBytes(4).toString("hex");
  const names = Object.fromEntries(templateNames.map((name) => [name, `wg_template_${run}_${name}`])) as Record<TemplateName, string>;
  const drop = async () => {
    for (const name of Object.values(names)) await dropPostgresDatabase(url, name);
  };
  const build = async (template: TemplateName, from?: string) => {
    await createPostgresDatabase(url, names[template], from);
    // A database just created can be slow to accept its first connection while the server
    // writes other runs' data (checkpoints): more patience than a request gets.
    const handle = await createDatabase({ url: withDatabase(url, names[template]), poolSize: 2, connectionTimeoutMs: 30_000 });
    try {
      await prepareTemplate(handle, template);
    } finally {
      // A template must have no connections left, or cloning it fails.
      await handle.close();
    }
  };
  try {
    await build("migrated");
    // The others start from a copy of it (the migrations run once), both at the same time. Both
    // are waited for, also when one fails, so that the drop below leaves none behind.
    const built = await Promise.allSettled(templateNames.filter((template) => template !== "migrated").map((template) => build(template, names.migrated)));
    const failed = built.find((result) => result.status === "rejected");
    if (failed) throw failed.reason;
  } catch (error) {
    await drop();
    throw error;
  }
  return { names, drop };
}

/**
 * Starts building the PGlite dumps (support/pglite-templates.ts) in a folder, without waiting
 * for them. However the builder fails (a thrown error, a module that does not load, a crash),
 * its exit writes what it printed to the failure file the waiting files read.
 */
function pgliteTemplates(): { folder: string; remove: () => void } {
  const folder = mkdtempSync(path.join(tmpdir(), "wg-pglite-templates-"));
  const builder: ChildProcess = spawn(process.execPath, ["--import", "tsx", path.join(import.meta.dirname, "pglite-templates.ts"), folder], {
    stdio: ["ignore", "inherit", "pipe"],
  });
  let printed = "";
  builder.stderr!.on("data", (chunk) => {
    printed += String(chunk);
    process.stderr.write(chunk);
  });
  let removed = false;
  // "close", not "exit": by then all it printed has been read.
  builder.on("close", (code, signal) => {
    if (removed || code === 0) return;
    if (existsSync(folder)) writeFileSync(pgliteTemplateFailure(folder), `the builder exited with ${signal ?? `code ${code}`}:\n${printed}`);
  });
  return {
    folder,
    remove: () => {
      removed = true;
      builder.kill("SIGKILL");
      rmSync(folder, { recursive: true, force: true });
    },
  };
}

export default async function setup({
  provide,
}: {
  provide: <K extends keyof import("vitest").ProvidedContext>(key: K, value: import("vitest").ProvidedContext[K]) => void;
}) {
  const url = process.env.TEST_DATABASE_URL ?? defaultPostgresUrl;
  const unreachable = await postgresReachable(url);
  if (unreachable) {
    if (process.env.CI === "true") {
      throw new Error(`PostgreSQL at ${url} is unreachable (${unreachable}); in CI that is a failure, not a skip`);
    }
    const line = "!".repeat(78);
    console.warn(
      `\n${line}\n!! PostgreSQL at ${url} is unreachable (${unreachable}).\n!! SKIPPING the PostgreSQL half of the suite; only PGlite runs.\n${line}\n`,
    );
  }
  const pglite = pgliteTemplates();
  const postgres = unreachable
    ? undefined
    : await postgresTemplates(url).catch((error: unknown) => {
        pglite.remove();
        throw error;
      });
  provide("postgresUrl", unreachable ? "" : url);
  provide("postgresTemplates", postgres?.names ?? { migrated: "", loaded: "", generated: "" });
  provide("pgliteTemplatesFolder", pglite.folder);
  return async () => {
    await postgres?.drop();
    pglite.remove();
  };
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
    /** Template database names on that server ("" without one). */
    postgresTemplates: Record<TemplateName, string>;
    /** The folder the PGlite data-folder dumps appear in while the first files run (support/templates.ts names them). */
    pgliteTemplatesFolder: string;
  }
}
