// Read replicas behind one pool-like object: Kysely's PostgresDialect asks it for a client, it
// hands out one from the next healthy replica (round robin) or, when none is healthy, from the
// primary. A background check marks each replica up, down (unreachable) or behind (replaying
// WAL it received more than maxLagMs late); a replica that refuses a connection, or loses one
// mid-statement, is marked down at once and the statement goes to the primary (reads only: a
// read statement can be sent twice).
import type { PostgresCursor, PostgresPool, PostgresPoolClient, PostgresQueryResult } from "kysely";
import pg from "pg";
import { classifyDatabaseError } from "./database-errors.ts";

export type ReplicaState = "unchecked" | "up" | "down" | "behind";

export interface ReplicaStatus {
  /** host:port/database, without credentials. */
  name: string;
  state: ReplicaState;
  /** Replay delay seen at the last check, in ms (0 when fully replayed). */
  lagMs?: number;
}

export interface ReplicaSetOptions {
  urls: string[];
  /** Options of each replica's pool (the primary's, minus its URL). */
  poolConfig: pg.PoolConfig;
  maxLagMs: number;
  checkIntervalMs: number;
  onStateChange?: (status: ReplicaStatus, previous: ReplicaState) => void;
}

export interface ReplicaSet {
  /** What Kysely's PostgresDialect reads through. */
  routingPool: PostgresPool;
  statuses(): ReplicaStatus[];
  pools(): Array<{ name: string; pool: pg.Pool }>;
  /** Runs one health check of every replica now. */
  check(): Promise<void>;
  close(): Promise<void>;
}

interface Replica {
  status: ReplicaStatus;
  pool: pg.Pool;
}

export function replicaName(url: string): string {
  const parsed = new URL(url);
  return `${parsed.hostname}:${parsed.port || 5432}${parsed.pathname}`;
}

// Behind = the standby received WAL it has not replayed yet, for this long. A fully replayed
// standby has lag 0 however old its last transaction is (an idle primary sends nothing).
const lagQuery = `select pg_is_in_recovery() as recovering,
  case when not pg_is_in_recovery() or pg_last_wal_receive_lsn() is null or pg_last_wal_receive_lsn() <= pg_last_wal_replay_lsn() then 0
       else coalesce(extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000, 0) end::float8 as lag_ms`;

export function createReplicaSet(primary: pg.Pool, options: ReplicaSetOptions): ReplicaSet {
  const replicas: Replica[] = options.urls.map((url) => {
    const pool = new pg.Pool({ ...options.poolConfig, connectionString: url });
    pool.on("error", () => {});
    pool.on("connect", (client) => client.on("error", () => {}));
    return { status: { name: replicaName(url), state: "unchecked" }, pool };
  });
  let next = 0;

  const setState = (replica: Replica, state: ReplicaState, lagMs?: number) => {
    const previous = replica.status.state;
    replica.status = { name: replica.status.name, state, ...(lagMs !== undefined ? { lagMs: Math.round(lagMs) } : {}) };
    if (previous !== state) options.onStateChange?.(replica.status, previous);
  };

  const checkOne = async (replica: Replica) => {
    try {
      const { rows } = await replica.pool.query<{ recovering: boolean; lag_ms: number }>(lagQuery);
      const lagMs = Number(rows[0]?.lag_ms ?? 0);
      setState(replica, lagMs > options.maxLagMs ? "behind" : "up", lagMs);
    } catch {
      setState(replica, "down");
    }
  };
  const check = async () => {
    await Promise.all(replicas.map(checkOne));
  };
  let checking: Promise<void> | undefined;
  const timer = setInterval(() => {
    checking ??= check().finally(() => {
      checking = undefined;
    });
  }, options.checkIntervalMs);
  timer.unref();
  void check();

  /** A replica's client whose statements move to the primary when the replica is lost. */
  const withFallback = (replica: Replica, client: pg.PoolClient): PostgresPoolClient => {
    let broken = false;
    async function run<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>> {
      try {
        return (await client.query(sql, [...parameters])) as unknown as PostgresQueryResult<R>;
      } catch (error) {
        if (classifyDatabaseError(error) !== "unavailable") throw error;
        broken = true;
        setState(replica, "down");
        const fallback = await primary.connect();
        try {
          return (await fallback.query(sql, [...parameters])) as unknown as PostgresQueryResult<R>;
        } finally {
          fallback.release();
        }
      }
    }
    function query<R>(sql: string, parameters: ReadonlyArray<unknown>): Promise<PostgresQueryResult<R>>;
    function query<R>(cursor: PostgresCursor<R>): PostgresCursor<R>;
    function query<R>(sqlOrCursor: string | PostgresCursor<R>, parameters?: ReadonlyArray<unknown>) {
      if (typeof sqlOrCursor !== "string") return client.query(sqlOrCursor as never) as PostgresCursor<R>;
      return run<R>(sqlOrCursor, parameters ?? []);
    }
    return { query, release: () => client.release(broken) };
  };

  const routingPool: PostgresPool = {
    async connect(): Promise<PostgresPoolClient> {
      for (let tried = 0; tried < replicas.length; tried++) {
        const replica = replicas[next++ % replicas.length]!;
        if (replica.status.state !== "up") continue;
        try {
          return withFallback(replica, await replica.pool.connect());
        } catch {
          // Refused or timed out: serve this query from the primary, and skip the replica
          // until the next check finds it back.
          setState(replica, "down");
        }
      }
      return primary.connect();
    },
    // The primary's pool is ended by its own Kysely instance.
    end: async () => {},
  };

  return {
    routingPool,
    statuses: () => replicas.map((replica) => replica.status),
    pools: () => replicas.map((replica) => ({ name: replica.status.name, pool: replica.pool })),
    check,
    async close() {
      clearInterval(timer);
      await checking;
      await Promise.all(replicas.map((replica) => replica.pool.end()));
    },
  };
}
