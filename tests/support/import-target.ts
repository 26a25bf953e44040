// A database the importer writes into, reachable both in process (API tests, checksums) and
// from a child process (CLI tests): a PostgreSQL test database, or PGlite in a folder on disk
// (PGlite allows one process at a time, so it is closed before the CLI runs and reopened after).
// Both start from a template the global setup built: migrated, or migrated and loaded.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Kysely } from "kysely";
import { createDatabase, type DatabaseHandle, type DatabaseKind } from "../../packages/server/src/db/database.ts";
import type { Database } from "../../packages/server/src/db/types.ts";
import { createTestDatabase, pgliteTemplate } from "./databases.ts";

export interface ImportTarget {
  kind: DatabaseKind;
  /** Environment for the CLI child process that points it at this database. */
  cliEnv: Record<string, string>;
  withDatabase<T>(work: (handle: DatabaseHandle & { db: Kysely<Database> }) => Promise<T>): Promise<T>;
  /** Call before the CLI runs: PGlite must be closed in this process first (reopened on next use). */
  releaseForCli(): Promise<void>;
  drop(): Promise<void>;
}

/** A migrated database for the importer, or (`load`) one that holds the bundled dataset already. */
export async function createImportTarget(kind: DatabaseKind, options: { load?: boolean } = {}): Promise<ImportTarget> {
  if (kind === "postgres") {
    const database = await createTestDatabase("postgres", options);
    return {
      kind,
      cliEnv: { DATABASE_URL: database.url as string },
      withDatabase: (work) => work(database),
      releaseForCli: async () => {},
      drop: () => database.drop(),
    };
  }
  const dataDir = mkdtempSync(path.join(tmpdir(), "wg-pglite-"));
  // The first open unpacks the template into the folder; later opens find it there.
  let template: Blob | undefined = await pgliteTemplate(options.load ? "loaded" : "migrated");
  let open: Promise<DatabaseHandle> | undefined;
  const target: ImportTarget = {
    kind,
    cliEnv: { PGLITE_DATA_DIR: dataDir },
    async withDatabase(work) {
      open ??= createDatabase({ dataDir, loadDataDir: template });
      template = undefined;
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
  await target.withDatabase(async () => {});
  return target;
}
