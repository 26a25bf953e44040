// The databases benchmarks measure on: an in-memory PGlite, or a PostgreSQL database of their
// own on the admin connection's server (UTF-8 collation and ctype, as the service expects:
// docs/query.md), dropped afterwards unless the benchmark keeps it by name.
import { randomBytes } from "node:crypto";
import type { LogEvent } from "kysely";
import { createPostgresDatabase, dropPostgresDatabase, withDatabase } from "../../../tests/support/postgres-admin.ts";
import { createDatabase, type DatabaseHandle, type DatabaseKind } from "../src/db/database.ts";
import { adminUrl } from "./serve.ts";

export interface BenchDatabase {
  handle: DatabaseHandle;
  drop(): Promise<void>;
}

export interface BenchDatabaseOptions {
  onQuery?: ((event: LogEvent) => void) | undefined;
  poolSize?: number | undefined;
  /** PostgreSQL: this database, kept afterwards; made anew unless `reuse` (else a new one, dropped). */
  name?: string | undefined;
  reuse?: boolean | undefined;
}

export async function openBenchDatabase(kind: DatabaseKind, options: BenchDatabaseOptions = {}): Promise<BenchDatabase> {
  const { onQuery, name: keptName } = options;
  if (kind === "pglite") {
    const handle = await createDatabase({ dataDir: "memory://", onQuery });
    return { handle, drop: () => handle.close() };
  }
  const name = keptName ?? `wg_bench_${randomBytes(5).toString("hex")}`;
  if (!options.reuse) {
    if (keptName) await dropPostgresDatabase(adminUrl, name);
    await createPostgresDatabase(adminUrl, name);
  }
  const handle = await createDatabase({ url: withDatabase(adminUrl, name), onQuery, poolSize: options.poolSize });
  return {
    handle,
    drop: async () => {
      await handle.close();
      if (!keptName) await dropPostgresDatabase(adminUrl, name);
    },
  };
}

/** The middle value (the upper one of an even count); NaN for none. */
export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted.length ? (sorted[Math.floor(sorted.length / 2)] as number) : Number.NaN;
}
