// Test databases: a PostgreSQL database per test file (cloned here from a template the global
// setup built, and dropped) and an in-memory PGlite (opened from a dumped template). Both were
// migrated by the real migrations and, when asked, loaded by the real importer. No mocks.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { inject } from "vitest";
import { createDatabase, type DatabaseHandle, type DatabaseKind } from "../../packages/server/src/db/database.ts";
import { createPostgresDatabase, dropPostgresDatabase, withDatabase } from "./postgres-admin.ts";

/** The engines this run covers: PGlite always, PostgreSQL when reachable. */
export function engines(): DatabaseKind[] {
  return inject("postgresUrl") ? ["postgres", "pglite"] : ["pglite"];
}

export interface TestDatabase extends DatabaseHandle {
  /** SQL statements sent since the database was opened (or since reset). */
  statements: { count: number; sql: string[]; parameters: ReadonlyArray<unknown>[] };
  url?: string;
  drop(): Promise<void>;
}

/**
 * A database of its own for a test file: migrated (the default), migrated and loaded with the
 * bundled dataset (`load`), or empty and unmigrated (`migrate: false`).
 */
export async function createTestDatabase(kind: DatabaseKind, options: { migrate?: boolean; load?: boolean } = {}): Promise<TestDatabase> {
  const statements = { count: 0, sql: [] as string[], parameters: [] as ReadonlyArray<unknown>[] };
  const onQuery = (event: { query: { sql: string; parameters: ReadonlyArray<unknown> } }) => {
    statements.count++;
    statements.sql.push(event.query.sql);
    statements.parameters.push(event.query.parameters);
  };
  const template = options.migrate === false ? undefined : options.load ? "loaded" : "migrated";
  let handle: DatabaseHandle;
  let drop = async () => {};
  let url: string | undefined;
  if (kind === "postgres") {
    const adminUrl = inject("postgresUrl");
    const name = `wg_test_${randomBytes(6).toString("hex")}`;
    await createPostgresDatabase(adminUrl, name, template && inject("postgresTemplates")[template]);
    url = withDatabase(adminUrl, name);
    handle = await createDatabase({ url, onQuery, poolSize: 4 });
    drop = () => dropPostgresDatabase(adminUrl, name);
  } else {
    const loadDataDir = template ? new Blob([readFileSync(inject("pgliteTemplates")[template])]) : undefined;
    handle = await createDatabase({ dataDir: "memory://", onQuery, loadDataDir });
  }
  statements.count = 0;
  statements.sql.length = 0;
  statements.parameters.length = 0;
  return {
    ...handle,
    statements,
    ...(url ? { url } : {}),
    drop: async () => {
      await handle.close();
      await drop();
    },
  };
}
