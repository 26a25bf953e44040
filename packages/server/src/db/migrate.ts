import { readdir } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { type Kysely, type Migration, type MigrationProvider, Migrator } from "kysely";
import type { Database } from "../db/types.ts";

// Compiled (dist/db/migrate.js), the migrations are dist/migrations/*.js (tsconfig.migrations.json).
const compiled = import.meta.url.endsWith(".js");
const extension = compiled ? ".js" : ".ts";
export const migrationsFolder = fileURLToPath(new URL(compiled ? "../migrations" : "../../../../migrations", import.meta.url));

/**
 * Imports migrations from our own module, not Kysely's FileMigrationProvider: its import()
 * lives in node_modules, where tsx and vitest do not transform TypeScript.
 */
const provider: MigrationProvider = {
  async getMigrations() {
    const files = (await readdir(migrationsFolder))
      .filter((f) => /^\d{4}_\d{2}_\d{2}_\d{6}_[a-z0-9_]+$/.test(f.slice(0, -extension.length)) && f.endsWith(extension))
      .sort();
    const migrations: Record<string, Migration> = {};
    for (const file of files) {
      migrations[file.slice(0, -extension.length)] = (await import(pathToFileURL(path.join(migrationsFolder, file)).href)) as Migration;
    }
    return migrations;
  },
};

/** Applies every pending migration; throws with the failing migration's name. */
export async function migrateToLatest(db: Kysely<Database>): Promise<string[]> {
  const migrator = new Migrator({ db, provider });
  const { error, results } = await migrator.migrateToLatest();
  const failed = results?.find((r) => r.status === "Error");
  if (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new Error(`migration ${failed?.migrationName ?? "(unknown)"} failed: ${reason}`, { cause: error });
  }
  return (results ?? []).filter((r) => r.status === "Success").map((r) => r.migrationName);
}
