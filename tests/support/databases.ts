// Test databases: a PostgreSQL database per test file (cloned here from a template the global
// setup built, and dropped) and an in-memory PGlite (opened from a dumped template). Both were
// migrated by the real migrations and, when asked, loaded by the real importer (the bundled
// or the generated dataset: support/templates.ts). No mocks.
import { randomBytes } from "node:crypto";
import { existsSync, readFileSync } from "node:fs";
import { setTimeout as sleep } from "node:timers/promises";
import { type Kysely, type LogEvent, sql } from "kysely";
import { inject } from "vitest";
import { createDatabase, type DatabaseHandle, type DatabaseKind } from "../../packages/server/src/db/database.ts";
import type { Database } from "../../packages/server/src/db/types.ts";
import { createPostgresDatabase, dropPostgresDatabase, withDatabase } from "./postgres-admin.ts";
import { pgliteTemplateFailure, pgliteTemplateFile, type TemplateName } from "./templates.ts";

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

export interface TestDatabaseOptions {
  /** false: empty and unmigrated. */
  migrate?: boolean;
  /** Loaded with the bundled dataset. */
  load?: boolean;
  /** Any template by name (support/templates.ts), instead of migrate/load. */
  template?: TemplateName;
}

/**
 * A database of its own for a test file: migrated (the default), migrated and loaded with the
 * bundled dataset (`load`), another template, or empty and unmigrated (`migrate: false`).
 */
export async function createTestDatabase(kind: DatabaseKind, options: TestDatabaseOptions = {}): Promise<TestDatabase> {
  const statements = { count: 0, sql: [] as string[], parameters: [] as ReadonlyArray<unknown>[] };
  const onQuery = (event: { query: { sql: string; parameters: ReadonlyArray<unknown> } }) => {
    statements.count++;
    statements.sql.push(event.query.sql);
    statements.parameters.push(event.query.parameters);
  };
  const template = options.template ?? (options.migrate === false ? undefined : options.load ? "loaded" : "migrated");
  let handle: DatabaseHandle;
  let drop = async () => {
    await handle.close();
  };
  let url: string | undefined;
  if (kind === "postgres") {
    const adminUrl = inject("postgresUrl");
    const name = `wg_test_${randomBytes(6).toString("hex")}`;
    await createPostgresDatabase(adminUrl, name, template && inject("postgresTemplates")[template]);
    url = withDatabase(adminUrl, name);
    handle = await createDatabase({ url, onQuery, poolSize: 4 });
    drop = async () => {
      await handle.close();
      await dropPostgresDatabase(adminUrl, name);
    };
  } else if (template) {
    const kept = await takePGlite(template);
    kept.recordTo = onQuery;
    handle = { ...kept.handle, close: () => retire(kept) };
    drop = () => giveBack(template, kept);
  } else {
    handle = await createDatabase({ dataDir: "memory://", onQuery });
  }
  statements.count = 0;
  statements.sql.length = 0;
  statements.parameters.length = 0;
  return {
    ...handle,
    statements,
    ...(url ? { url } : {}),
    drop,
  };
}

// Opening a PGlite from a template costs seconds (WebAssembly memory, the unpacked data folder,
// PostgreSQL's start), and most files only read. So a worker keeps the ones given back
// untouched and hands them to its next files: a database that was written to (any write, DDL
// included, takes a transaction id) or had a session setting changed is closed instead.
interface KeptPGlite {
  handle: DatabaseHandle;
  /** The current user's statement recorder (none while kept). */
  recordTo: ((event: LogEvent) => void) | undefined;
  state: string;
  closed: boolean;
}

const keptPGlites: Record<TemplateName, KeptPGlite[]> = { migrated: [], loaded: [], generated: [] };
const maxKept = 3;

/** The next transaction id and the session's own settings: unchanged exactly when nothing was written or set. */
async function pgliteState(db: Kysely<Database>): Promise<string> {
  const { rows } = await sql<{ state: string }>`select pg_snapshot_xmax(pg_current_snapshot())::text || ' ' ||
    coalesce((select string_agg(name || '=' || setting, ',' order by name) from pg_settings where source = 'session'), '') as state`.execute(db);
  return rows[0]!.state;
}

const templateDumps = new Map<TemplateName, Promise<Blob>>();

/**
 * A PGlite template dump (read once per worker), for createDatabase's loadDataDir. The global
 * setup's builder writes the dumps while the first files run: this waits for the one asked.
 */
export function pgliteTemplate(template: TemplateName): Promise<Blob> {
  let dump = templateDumps.get(template);
  if (!dump) {
    dump = waitForTemplateDump(template);
    templateDumps.set(template, dump);
  }
  return dump;
}

async function waitForTemplateDump(template: TemplateName): Promise<Blob> {
  const folder = inject("pgliteTemplatesFolder");
  const file = pgliteTemplateFile(folder, template);
  const bound = Date.now() + 180_000;
  while (!existsSync(file)) {
    const failure = pgliteTemplateFailure(folder);
    if (existsSync(failure)) throw new Error(`building the PGlite templates failed:\n${readFileSync(failure, "utf8")}`);
    if (Date.now() > bound) throw new Error(`the PGlite template "${template}" did not appear in ${folder} within 180 s`);
    await sleep(50);
  }
  return new Blob([readFileSync(file)]);
}

async function takePGlite(template: TemplateName): Promise<KeptPGlite> {
  const kept = keptPGlites[template].pop();
  if (kept) return kept;
  let fresh: KeptPGlite | undefined;
  const handle = await createDatabase({
    dataDir: "memory://",
    onQuery: (event) => fresh?.recordTo?.(event),
    loadDataDir: await pgliteTemplate(template),
  });
  fresh = { handle, recordTo: undefined, state: await pgliteState(handle.db), closed: false };
  return fresh;
}

async function retire(kept: KeptPGlite): Promise<void> {
  if (kept.closed) return;
  kept.closed = true;
  await kept.handle.close();
}

async function giveBack(template: TemplateName, kept: KeptPGlite): Promise<void> {
  kept.recordTo = undefined;
  if (kept.closed) return;
  // A transaction left open would hold PGlite's only connection: then the state never comes.
  const bound = new AbortController();
  const state = await Promise.race([
    pgliteState(kept.handle.db).catch(() => undefined),
    sleep(2_000, undefined, { signal: bound.signal }).catch(() => undefined),
  ]);
  bound.abort();
  if (state === kept.state && keptPGlites[template].length < maxKept) keptPGlites[template].push(kept);
  else await retire(kept);
}
