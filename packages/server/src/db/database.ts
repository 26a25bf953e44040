// One Kysely factory for both engines: a pg pool when a URL is given, else embedded PGlite.
import { mkdirSync } from "node:fs";
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { type CompiledQuery, Kysely, type LogEvent, PostgresDialect } from "kysely";
import { PGliteDialect } from "kysely-pglite-dialect";
import pg from "pg";
import { cancelBackends, cancellableDialect, trackingPool } from "./cancellable-dialect.ts";
import { createReplicaSet, type ReplicaStatus } from "./replicas.ts";
import type { RequestScope } from "./request-scope.ts";
import type { Database } from "./types.ts";

export type DatabaseKind = "postgres" | "pglite";

export interface DatabaseOptions {
  /** postgres://… ; when absent, PGlite is used. */
  url?: string | undefined;
  /** PGlite data folder; "memory://" (or undefined with no url) keeps it in memory. */
  dataDir?: string | undefined;
  /** PGlite only: start from this dump of a data folder (dumpDataDir), e.g. a migrated, loaded test template. */
  loadDataDir?: Blob | undefined;
  /** Called once per SQL statement sent, for statement counting and logging. */
  onQuery?: ((event: LogEvent) => void) | undefined;
  /** pg pool size. */
  poolSize?: number | undefined;
  /** Per-statement timeout in milliseconds (statement_timeout). */
  statementTimeoutMs?: number | undefined;
  /**
   * How long a query waits for a pooled connection before failing (pg only). When every
   * connection is busy, queries queue for up to this long instead of failing at once.
   */
  connectionTimeoutMs?: number | undefined;
  /** application_name of the connections, to find them in pg_stat_activity. */
  applicationName?: string | undefined;
  /** Read replicas (postgres://…) that serve `reads`; the primary (url) keeps writes. */
  readUrls?: string[] | undefined;
  /** A replica replaying more than this late is skipped (reads go to the primary). */
  replicaMaxLagMs?: number | undefined;
  replicaCheckIntervalMs?: number | undefined;
  /** Called when a replica goes up, down or behind. */
  onReplicaStateChange?: ((status: ReplicaStatus, previous: string) => void) | undefined;
  /**
   * Send the statements marked with prepared() as named prepared statements (default true):
   * PostgreSQL then parses each once per connection, and plans it once when its generic plan
   * is as good as a custom one; on PGlite, those marked planOnce, once per instance
   * (PREPARE/EXECUTE). Turn off behind
   * a pooler that cannot keep them (PgBouncer transaction mode before 1.21, or with
   * max_prepared_statements = 0).
   */
  preparedStatements?: boolean | undefined;
}

export interface PoolStats {
  /** Connections open (busy or idle). */
  total: number;
  idle: number;
  /** Queries queued for a connection. */
  waiting: number;
}

export interface DatabaseHandle {
  /** The primary: migrations, imports, and reads when there are no replicas. */
  db: Kysely<Database>;
  /** Where GraphQL queries read: the replicas when configured (falling back to the primary), else db. */
  reads?: Kysely<Database>;
  kind: DatabaseKind;
  /** Cheap liveness probe of the primary for /readyz. */
  ping(): Promise<boolean>;
  /** Connection pool counts (pg); undefined for the single embedded PGlite connection. */
  poolStats?(): PoolStats;
  /** PGlite only: a dump of the data folder, to start other databases from (createDatabase's loadDataDir). */
  dumpDataDir?(): Promise<Blob>;
  /** Every pool by name ("primary", then each replica), for metrics. */
  pools?(): Array<{ name: string; stats: PoolStats }>;
  /** The replicas' states at their last check (empty without replicas). */
  replicas?(): ReplicaStatus[];
  /** Cancels the statements an expired request is running (PostgreSQL); PGlite refuses them before they start. */
  cancelRequest?(scope: RequestScope): Promise<number>;
  close(): Promise<void>;
}

// Exact values travel as strings: int8 ids and sums, numeric figures.
const { types } = pg;
types.setTypeParser(types.builtins.INT8, (value) => value);
types.setTypeParser(types.builtins.NUMERIC, (value) => value);

// Statement texts to send as named prepared statements, with their names. Bounded: statement
// shapes follow the documents clients send, and every name costs memory on every connection.
const preparedNames = new Map<string, string>();
const MAX_PREPARED_STATEMENTS = 500;

// The texts of those whose plan does not depend on their values: PGlite prepares only these.
const planOnceTexts = new Set<string>();

/**
 * Marks a compiled statement to run as a named prepared statement (when the database supports
 * it). `planOnce`: its plan does not depend on its values (they reach the statement through a
 * relation, not as constants the planner estimates rows with), so a generic plan serves every
 * run and PGlite prepares it too. Other statements would fare worse on PGlite: after five runs
 * PostgreSQL's plan cache may keep a generic plan that estimates a word's rows by default (a
 * text filter on 20,000 projects: 3.4 → 20 ms), so PGlite plans them per run as before.
 */
export function prepared<Row>(statement: CompiledQuery<Row>, options: { planOnce?: boolean } = {}): CompiledQuery<Row> {
  if (!preparedNames.has(statement.sql) && preparedNames.size < MAX_PREPARED_STATEMENTS) {
    preparedNames.set(statement.sql, `wg_${preparedNames.size}`);
    if (options.planOnce) planOnceTexts.add(statement.sql);
  }
  return statement;
}

type QueryFunction = (...args: unknown[]) => unknown;

/** Routes registered statement texts through pg's named prepared statements; every other call passes unchanged. */
function preparing(client: pg.PoolClient): void {
  const query = client.query.bind(client) as QueryFunction;
  const named: QueryFunction = (...args) => {
    const [text, values, ...rest] = args;
    const name = typeof text === "string" ? preparedNames.get(text) : undefined;
    return name ? query({ name, text, values }, ...rest) : query(...args);
  };
  client.query = named as typeof client.query;
}

/**
 * PGlite has no named statements in its API (each query is parsed and planned anew), so the
 * statements registered with planOnce are prepared in SQL instead: PREPARE once per PGlite instance,
 * then EXECUTE with the values written as literals, in the text form PGlite's own query()
 * would have bound them (its serializers, by the parameter types PREPARE inferred). Every other
 * call passes unchanged. A statement the session lost (DEALLOCATE) or whose result type a
 * migration changed is prepared again, once, outside a transaction; other errors are the
 * statement's own.
 */
function preparingPGlite(client: PGlite): void {
  const query = client.query.bind(client);
  // Parameter type OIDs of each statement prepared on this instance.
  const statements = new Map<string, Promise<number[]>>();
  const prepare = (name: string, text: string) => {
    let types = statements.get(name);
    if (!types) {
      types = (async () => {
        await query(`prepare ${name} as ${text}`);
        const described = await query<{ types: Array<string | number> }>("select parameter_types::oid[] as types from pg_prepared_statements where name = $1", [
          name,
        ]);
        return (described.rows[0]?.types ?? []).map(Number);
      })();
      statements.set(name, types);
      types.catch(() => statements.delete(name));
    }
    return types;
  };
  const literal = (value: unknown, type: number | undefined): string | undefined => {
    if (value === null || value === undefined) return "null";
    const serialize = type === undefined ? undefined : client.serializers[type];
    const text = serialize ? serialize(value) : String(value);
    // A NUL cannot travel in statement text; the bound form refuses it with the usual error.
    if (text.includes("\0")) return undefined;
    // An escape string: backslashes and quotes escaped, whatever standard_conforming_strings says.
    return `E'${text.replaceAll("\\", "\\\\").replaceAll("'", "''")}'`;
  };
  const run = async (name: string, text: string, params: unknown[], options: Parameters<PGlite["query"]>[2]) => {
    const types = await prepare(name, text);
    const values = params.map((value, i) => literal(value, types[i]));
    if (values.some((value) => value === undefined)) return query(text, params, options);
    return query(`execute ${name}${values.length ? `(${values.join(", ")})` : ""}`, [], options);
  };
  const named = async (text: string, params?: unknown[], options?: Parameters<PGlite["query"]>[2]) => {
    const name = planOnceTexts.has(text) ? preparedNames.get(text) : undefined;
    if (!name) return query(text, params, options);
    try {
      return await run(name, text, params ?? [], options);
    } catch (error) {
      const code = (error as { code?: unknown } | null)?.code;
      // 26000: no such prepared statement; 0A000: cached plan must not change result type.
      if ((code !== "26000" && code !== "0A000") || client.isInTransaction()) throw error;
      statements.delete(name);
      await query(`deallocate ${name}`).catch(() => {});
      return run(name, text, params ?? [], options);
    }
  };
  client.query = named as typeof client.query;
}

/**
 * PostgreSQL's default 128 MB of shared buffers is zeroed at every start (initdb starts it
 * several times): half a second and 128 MB of memory per open. Pages beyond 16 MB come from
 * the in-process file system.
 */
const pgliteSharedBuffers = ["-c", "shared_buffers=16MB"];

let pgliteAssetsLoaded: Promise<{ pgliteWasmModule: WebAssembly.Module; initdbWasmModule: WebAssembly.Module; fsBundle: Blob }> | undefined;

/**
 * PGlite's WebAssembly modules and file-system bundle, read and compiled once per process:
 * PGlite.create otherwise reads and compiles them for every database it opens, and a process
 * that opens many (the test suite, the benchmarks) pays that each time.
 */
function pgliteAssets() {
  pgliteAssetsLoaded ??= (async () => {
    const dist = path.dirname(createRequire(import.meta.url).resolve("@electric-sql/pglite"));
    const [pgliteWasm, initdbWasm, data] = await Promise.all(["pglite.wasm", "initdb.wasm", "pglite.data"].map((file) => readFile(path.join(dist, file))));
    const [pgliteWasmModule, initdbWasmModule] = await Promise.all([WebAssembly.compile(pgliteWasm!), WebAssembly.compile(initdbWasm!)]);
    return { pgliteWasmModule, initdbWasmModule, fsBundle: new Blob([data!]) };
  })();
  return pgliteAssetsLoaded;
}

export async function createDatabase(options: DatabaseOptions = {}): Promise<DatabaseHandle> {
  const log = options.onQuery;
  if (options.url) {
    const poolConfig: pg.PoolConfig = {
      max: options.poolSize ?? 10,
      connectionTimeoutMillis: options.connectionTimeoutMs ?? 5_000,
      idleTimeoutMillis: 30_000,
      application_name: options.applicationName ?? "welfare-graph",
      ...(options.statementTimeoutMs ? { statement_timeout: options.statementTimeoutMs } : {}),
    };
    const pool = new pg.Pool({ ...poolConfig, connectionString: options.url });
    // An idle client losing its server must not crash the process; the pool replaces it.
    pool.on("error", () => {});
    // Nor a checked-out one: when the server goes away mid-query, node-postgres fails the query
    // and then also emits "error" on the client, which would be unhandled while it is checked
    // out. The pool discards the broken client when it comes back (it is no longer queryable).
    pool.on("connect", (client) => {
      client.on("error", () => {});
      if (options.preparedStatements !== false) preparing(client);
    });
    // Statements of a timed-out request are refused before they are sent; on the primary the running
    // ones are cancelled too (replica backends are left to statement_timeout: a pid names a backend
    // of one server only).
    const db = new Kysely<Database>({
      dialect: cancellableDialect(new PostgresDialect({ pool: trackingPool(pool) }), { yieldFirst: false }),
      ...(log ? { log } : {}),
    });
    const url = options.url;
    const replicaSet = options.readUrls?.length
      ? createReplicaSet(pool, {
          urls: options.readUrls,
          poolConfig,
          maxLagMs: options.replicaMaxLagMs ?? 10_000,
          checkIntervalMs: options.replicaCheckIntervalMs ?? 2_000,
          ...(options.onReplicaStateChange ? { onStateChange: options.onReplicaStateChange } : {}),
        })
      : undefined;
    const reads = replicaSet
      ? new Kysely<Database>({
          dialect: cancellableDialect(new PostgresDialect({ pool: replicaSet.routingPool }), { yieldFirst: false }),
          ...(log ? { log } : {}),
        })
      : db;
    const statsOf = (each: pg.Pool): PoolStats => ({ total: each.totalCount, idle: each.idleCount, waiting: each.waitingCount });
    return {
      db,
      reads,
      kind: "postgres",
      ping: async () => {
        try {
          await pool.query("select 1");
          return true;
        } catch {
          return false;
        }
      },
      poolStats: () => statsOf(pool),
      pools: () => [{ name: "primary", stats: statsOf(pool) }, ...(replicaSet?.pools() ?? []).map(({ name, pool: each }) => ({ name, stats: statsOf(each) }))],
      replicas: () => replicaSet?.statuses() ?? [],
      cancelRequest: (scope) =>
        cancelBackends(scope, async () => {
          const client = new pg.Client({ connectionString: url, application_name: `${options.applicationName ?? "welfare-graph"}-cancel` });
          await client.connect();
          return client;
        }),
      close: async () => {
        if (replicaSet) {
          await reads.destroy();
          await replicaSet.close();
        }
        await db.destroy();
      },
    };
  }

  const dataDir = options.dataDir && options.dataDir !== "memory://" ? options.dataDir : undefined;
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const client = await PGlite.create({
    ...(await pgliteAssets()),
    ...(dataDir ? { dataDir } : {}),
    ...(options.loadDataDir ? { loadDataDir: options.loadDataDir } : {}),
    // The smallest WAL segment (16 MB by default): a new data folder is 15 MB smaller, and a
    // dump of one (tests open every database from one) is a third smaller and opens faster.
    initDbStartParams: ["--wal-segsize=1", ...pgliteSharedBuffers],
    startParams: [...PGlite.defaultStartParams, ...pgliteSharedBuffers],
    parsers: {
      20: (value: string) => value,
      1700: (value: string) => value,
    },
  });
  if (options.statementTimeoutMs) {
    await client.exec(`set statement_timeout = ${Math.floor(options.statementTimeoutMs)}`);
  }
  if (options.preparedStatements !== false) preparingPGlite(client);
  const db = new Kysely<Database>({ dialect: cancellableDialect(new PGliteDialect(client), { yieldFirst: true }), ...(log ? { log } : {}) });
  return {
    db,
    reads: db,
    kind: "pglite",
    ping: async () => {
      try {
        await client.query("select 1");
        return true;
      } catch {
        return false;
      }
    },
    dumpDataDir: () => client.dumpDataDir("none"),
    close: () => db.destroy(),
  };
}
