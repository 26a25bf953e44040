// A database the importer writes into, reachable both in process (API tests, checksums) and
// from a child process (CLI tests): a PostgreSQL test database, or PGlite in a folder on disk
// (PGlite allows one process at a time, so it is closed before the CLI runs and reopened after).
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { createDatabase, type DatabaseHandle, type DatabaseKind } from "../../packages/server/src/db/database.ts";
import { migrateToLatest } from "../../packages/server/src/db/migrate.ts";
import type { Database } from "../../packages/server/src/db/types.ts";
import { createTestDatabase } from "./databases.ts";

export interface ImportTarget {
  kind: DatabaseKind;
  /** Environment for the CLI child process that points it at this database. */
  cliEnv: Record<string, string>;
  withDatabase<T>(work: (handle: DatabaseHandle & { db: Kysely<Database> }) => Promise<T>): Promise<T>;
  /** Call before the CLI runs: PGlite must be closed in this process first (reopened on next use). */
  releaseForCli(): Promise<void>;
  drop(): Promise<void>;
}

export async function createImportTarget(kind: DatabaseKind): Promise<ImportTarget> {
  if (kind === "postgres") {
    const database = await createTestDatabase("postgres");
    return {
      kind,
      cliEnv: { DATABASE_URL: database.url as string },
      withDatabase: (work) => work(database),
      releaseForCli: async () => {},
      drop: () => database.drop(),
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "wg-pglite-"));
  let open: Promise<DatabaseHandle> | undefined;
  const target: ImportTarget = {
    kind,
    cliEnv: { PGLITE_DATA_DIR: dataDir },
    async withDatabase(work) {
      open ??= createDatabase({ dataDir });
      return work(await open);
    },
    releaseForCli: async () => {
      const handle = await open;
      open = undefined;
      await handle?.close();
    },
    drop: async () => {
      await target.releaseForCli();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  await target.withDatabase((h) => migrateToLatest(h.db));
  return target;
}
