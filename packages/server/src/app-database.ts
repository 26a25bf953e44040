// Opens the configured database, migrates it, and loads the bundled dataset into an empty one.

import type { DatabaseHandle } from "./db/database.ts";
import { classifyDatabaseError } from "./db/database-errors.ts";
import { migrateToLatest } from "./db/migrate.ts";
import { bundledDataFolder } from "./env.ts";
import type { ImportSummary } from "./import/write.ts";

export async function isEmpty(handle: DatabaseHandle): Promise<boolean> {
  const row = await handle.db
    .selectFrom("source_document")
    .select((eb) => eb.fn.countAll<number>().as("n"))
    .executeTakeFirstOrThrow();
  return Number(row.n) === 0;
}

export async function loadBundledDataset(handle: DatabaseHandle, folder = bundledDataFolder): Promise<ImportSummary> {
  // The importer (YAML, zod: ~200 modules) loads only when a database is empty: other starts skip it.
  const [{ DatasetInvalidError, loadDataset }, { importDataset }] = await Promise.all([import("./import/load.ts"), import("./import/write.ts")]);
  const { dataset, issues } = loadDataset(folder);
  if (issues.length) throw new DatasetInvalidError(issues);
  return importDataset(handle.db, dataset);
}

/** Applies pending migrations, then loads the bundled dataset if the database holds none. */
export async function migrateAndLoad(handle: DatabaseHandle): Promise<ImportSummary | undefined> {
  await migrateToLatest(handle.db);
  return (await isEmpty(handle)) ? await loadBundledDataset(handle) : undefined;
}

export interface DatabasePreparation {
  /** True once migrations and the initial load have succeeded. */
  readonly prepared: boolean;
  /** Resolves when prepared (with the load summary when the dataset was loaded); rejects on a non-transient failure. */
  readonly done: Promise<ImportSummary | undefined>;
  /** Stops retrying (at shutdown). */
  stop(): void;
}

export interface PreparationOptions {
  /** First delay between attempts while the database is unreachable; doubles up to maxRetryDelayMs. */
  retryDelayMs?: number;
  maxRetryDelayMs?: number;
  /** Called for each failed attempt that will be retried. */
  onRetry?: (error: unknown, delayMs: number) => void;
}

/**
 * Migrates the database and loads the bundled dataset into an empty one, retrying in the
 * background while the database is unreachable: the server starts and answers (/readyz 503,
 * SERVICE_UNAVAILABLE) instead of crashing, and becomes ready by itself when the database
 * comes up. Other failures (a broken migration or dataset) are not retried.
 */
export function prepareDatabase(handle: DatabaseHandle, options: PreparationOptions = {}): DatabasePreparation {
  let prepared = false;
  let stopped = false;
  let wake: (() => void) | undefined;
  const maxDelay = options.maxRetryDelayMs ?? 30_000;
  const done = (async () => {
    let delay = options.retryDelayMs ?? 500;
    for (;;) {
      try {
        const loaded = await migrateAndLoad(handle);
        prepared = true;
        return loaded;
      } catch (error) {
        if (stopped || !classifyDatabaseError(error)) throw error;
        options.onRetry?.(error, delay);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, delay);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
        if (stopped) throw new Error("database preparation stopped");
        delay = Math.min(delay * 2, maxDelay);
      }
    }
  })();
  return {
    get prepared() {
      return prepared;
    },
    done,
    stop() {
      stopped = true;
      wake?.();
    },
  };
}
