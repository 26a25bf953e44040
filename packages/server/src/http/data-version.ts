// The data version caches key on: the counter that migrations/2026_12_01_120000_data_version.ts
// bumps on every write to a data table, plus the latest migration's name. Read from the database
// at most once per maxAgeMs (one indexed row; concurrent requests share the read), so it works
// the same on PGlite, PostgreSQL, several instances and PgBouncer in transaction pooling, where
// LISTEN would not: an instance sees an import at most maxAgeMs after it commits.
import { sql } from "kysely";
import type { DatabaseHandle } from "../db/database.ts";

export interface DataVersion {
  /** The current version ("<counter>.<latest migration>"), or undefined when it cannot be read (database down or not migrated): then nothing is cached. */
  current(): Promise<string | undefined>;
  /** The version when it was read less than maxAgeMs ago (most requests): no promise, no wait. */
  fresh(): { version: string | undefined } | undefined;
}

export const defaultDataVersionMaxAgeMs = 1_000;

/** A read slower than this (the database down, the pool exhausted) answers "unknown" at once: no caching, no waiting. */
const readTimeoutMs = 500;

export function dataVersionOf(database: DatabaseHandle, maxAgeMs = defaultDataVersionMaxAgeMs): DataVersion {
  let value: string | undefined;
  let readAt = Number.NEGATIVE_INFINITY;
  let reading: Promise<string | undefined> | undefined;
  const read = async (): Promise<string | undefined> => {
    try {
      const { rows } = await sql<{ version: string; migration: string | null }>`
        select version::text as version, (select max(name) from kysely_migration) as migration from data_version`.execute(database.db);
      const row = rows[0];
      value = row ? `${row.version}.${row.migration ?? ""}` : undefined;
    } catch {
      value = undefined;
    }
    // A failed read is remembered as long as a good one: the database is not asked again for maxAgeMs.
    readAt = performance.now();
    return value;
  };
  const fresh = () => (performance.now() - readAt < maxAgeMs ? { version: value } : undefined);
  return {
    fresh,
    current() {
      const known = fresh();
      if (known) return Promise.resolve(known.version);
      reading ??= read().finally(() => {
        reading = undefined;
      });
      const pending = reading;
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), readTimeoutMs);
        void pending.then((version) => {
          clearTimeout(timer);
          resolve(version);
        });
      });
    },
  };
}
