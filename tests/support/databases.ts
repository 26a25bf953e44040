// Test databases: a fresh PostgreSQL database per test file (created and dropped here) and an
// in-memory PGlite, both migrated by the real migrations. No mocks.
import { randomBytes } from "node:crypto";
import pg from "pg";
import { inject } from "vitest";
import { createDatabase, type DatabaseHandle, type DatabaseKind } from "../../packages/server/src/db/database.ts";
import { migrateToLatest } from "../../packages/server/src/db/migrate.ts";

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

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(url: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

export async function createTestDatabase(kind: DatabaseKind, options: { migrate?: boolean } = {}): Promise<TestDatabase> {
  const statements = { count: 0, sql: [] as string[], parameters: [] as ReadonlyArray<unknown>[] };
  const onQuery = (event: { query: { sql: string; parameters: ReadonlyArray<unknown> } }) => {
    statements.count++;
    statements.sql.push(event.query.sql);
    statements.parameters.push(event.query.parameters);
  };
  let handle: DatabaseHandle;
  let drop = async () => {};
  let url: string | undefined;
  if (kind === "postgres") {
    const adminUrl = inject("postgresUrl");
    const name = `wg_test_${randomBytes(6).toString("hex")}`;
    // A UTF-8 ctype, so pg_trgm treats Japanese characters as word characters.
    await admin(adminUrl, (c) => c.query(`create database ${name} template template0 encoding 'UTF8' lc_ctype 'C.UTF-8' lc_collate 'C.UTF-8'`));
    url = withDatabase(adminUrl, name);
    handle = await createDatabase({ url, onQuery, poolSize: 4 });
    drop = () => admin(adminUrl, (c) => c.query(`drop database if exists ${name} with (force)`)).then(() => {});
  } else {
    handle = await createDatabase({ dataDir: "memory://", onQuery });
  }
  if (options.migrate !== false) await migrateToLatest(handle.db);
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
