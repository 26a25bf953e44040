// Real waits for tests about time: polling until something has happened, and a database made
// to wait on the department table. No mocks: another session's lock on PostgreSQL, a
// transaction holding PGlite's only connection.
import { type Kysely, sql } from "kysely";
import pg from "pg";
import type { Database } from "../../packages/server/src/db/types.ts";

/** Waits (bounded) until `condition` holds; for ordering events, not for measuring time. */
export async function until(condition: () => boolean | Promise<boolean>, what: string, bound = 20_000): Promise<void> {
  const end = Date.now() + bound;
  while (!(await condition())) {
    if (Date.now() > end) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Holds the department table until release(): another session's lock, or PGlite's only connection. */
export async function holdDepartments(database: {
  kind: "postgres" | "pglite";
  url?: string;
  db: Kysely<Database>;
}): Promise<{ release: () => Promise<void> }> {
  if (database.kind === "postgres") {
    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    await client.query("begin");
    await client.query("lock table department in access exclusive mode");
    return {
      release: async () => {
        await client.query("rollback");
        await client.end();
      },
    };
  }
  let release!: () => void;
  const released = new Promise<void>((resolve) => {
    release = resolve;
  });
  let locked!: () => void;
  const isLocked = new Promise<void>((resolve) => {
    locked = resolve;
  });
  const transaction = database.db.transaction().execute(async (trx) => {
    await sql`lock table department in access exclusive mode`.execute(trx);
    locked();
    await released;
  });
  await isLocked;
  return {
    release: async () => {
      release();
      await transaction;
    },
  };
}
