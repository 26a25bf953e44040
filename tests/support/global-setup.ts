// Decides once whether the PostgreSQL half of the suite can run. Without a server the PGlite
// half still runs and we say so loudly; in CI an unreachable server fails the run.
import pg from "pg";

export const defaultPostgresUrl = "postgres://postgres@127.0.0.1:5432/test";

export default async function setup({ provide }: { provide: (key: string, value: unknown) => void }) {
  const url = process.env.TEST_DATABASE_URL ?? defaultPostgresUrl;
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  let reachable = false;
  let reason = "";
  try {
    await client.connect();
    await client.query("select 1");
    reachable = true;
  } catch (error) {
    reason = error instanceof Error ? error.message : String(error);
  } finally {
    await client.end().catch(() => {});
  }
  if (!reachable) {
    if (process.env.CI === "true") {
      throw new Error(`PostgreSQL at ${url} is unreachable (${reason}); in CI that is a failure, not a skip`);
    }
    const line = "!".repeat(78);
    console.warn(`\n${line}\n!! PostgreSQL at ${url} is unreachable (${reason}).\n!! SKIPPING the PostgreSQL half of the suite; only PGlite runs.\n${line}\n`);
  }
  provide("postgresUrl", reachable ? url : "");
}

declare module "vitest" {
  export interface ProvidedContext {
    postgresUrl: string;
  }
}
