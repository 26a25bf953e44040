// Once per run: decides whether the PostgreSQL half of the suite can run, and builds the
// databases every test file starts from, so that no file migrates or imports on its own:
// on PostgreSQL a migrated and a migrated-and-loaded template database (each file clones one
// with CREATE DATABASE … TEMPLATE), on PGlite the same two as dumped data folders (each file
// opens an in-memory PGlite from one). Without a server the PGlite half still runs and we say
// so loudly; in CI an unreachable server fails the run.
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { loadBundledDataset } from "../../packages/server/src/app-database.ts";
import { createDatabase, type DatabaseHandle } from "../../packages/server/src/db/database.ts";
import { migrateToLatest } from "../../packages/server/src/db/migrate.ts";
import { admin, createPostgresDatabase, withDatabase } from "./postgres-admin.ts";

export const defaultPostgresUrl = "postgres://postgres@127.0.0.1:5432/test";

/** The starting points a test file may ask for. */
export type TemplateName = "migrated" | "loaded";

async function prepare(handle: DatabaseHandle, template: TemplateName) {
  await migrateToLatest(handle.db);
  if (template === "loaded") await loadBundledDataset(handle);
}

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
  const names: Record<TemplateName, string> = { migrated: `wg_template_${run}_migrated`, loaded: `wg_template_${run}_loaded` };
  const drop = () =>
    admin(url, async (c) => {
      for (const name of Object.values(names)) await c.query(`drop database if exists ${name} with (force)`);
    });
  try {
    for (const template of ["migrated", "loaded"] as const) {
      await createPostgresDatabase(url, names[template]);
      // A generous connect timeout: a busy shared server has taken longer than the default 5 s.
      const handle = await createDatabase({ url: withDatabase(url, names[template]), poolSize: 2, connectionTimeoutMs: 30_000 });
      try {
        await prepare(handle, template);
      } finally {
        // A template must have no connections left, or cloning it fails.
        await handle.close();
      }
    }
  } catch (error) {
    await drop();
    throw error;
  }
  return { names, drop };
}

async function pgliteTemplates(): Promise<{ files: Record<TemplateName, string>; remove: () => void }> {
  const folder = mkdtempSync(path.join(tmpdir(), "wg-pglite-templates-"));
  const files = { migrated: path.join(folder, "migrated.tar"), loaded: path.join(folder, "loaded.tar") };
  const handle = await createDatabase({ dataDir: "memory://" });
  try {
    // The loaded template is the migrated one plus the import: one PGlite makes both dumps.
    await prepare(handle, "migrated");
    writeFileSync(files.migrated, new Uint8Array(await (await handle.dumpDataDir!()).arrayBuffer()));
    await loadBundledDataset(handle);
    writeFileSync(files.loaded, new Uint8Array(await (await handle.dumpDataDir!()).arrayBuffer()));
  } finally {
    await handle.close();
  }
  return { files, remove: () => rmSync(folder, { recursive: true, force: true }) };
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
  const [postgres, pglite] = await Promise.all([unreachable ? undefined : postgresTemplates(url), pgliteTemplates()]);
  provide("postgresUrl", unreachable ? "" : url);
  provide("postgresTemplates", postgres?.names ?? { migrated: "", loaded: "" });
  provide("pgliteTemplates", pglite.files);
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
    /** Files holding PGlite data-folder dumps. */
    pgliteTemplates: Record<TemplateName, string>;
  }
}
