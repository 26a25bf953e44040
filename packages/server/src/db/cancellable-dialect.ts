// Statements of a request whose time ran out must stop, not run on for nobody (see
// request-scope.ts). Two small wrappers do it without touching the repository functions:
// - every dialect: a statement of an aborted request is refused before it is sent; on PGlite
//   each statement first yields one turn of the event loop, so that its single thread (WASM,
//   synchronous) lets /healthz, admission control and timers run between statements;
// - the pg pool: the backend pid of every connection a request holds is recorded, so that
//   cancelBackends() can ask PostgreSQL to cancel what is running (pg_cancel_backend from a
//   separate connection: the request's own connections are busy). The connection stays usable.
import type { CompiledQuery, DatabaseConnection, Dialect, Driver, QueryResult, TransactionSettings } from "kysely";
import type pg from "pg";
import { currentRequestScope, RequestCancelledError, type RequestScope } from "./request-scope.ts";

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

function checkScope(): void {
  if (currentRequestScope()?.aborted) throw new RequestCancelledError();
}

class CancellableConnection implements DatabaseConnection {
  constructor(
    private readonly inner: DatabaseConnection,
    private readonly yieldFirst: boolean,
  ) {}

  async executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    // Only requests yield: an import or a migration has no one waiting behind it.
    if (this.yieldFirst && currentRequestScope()) await nextTurn();
    checkScope();
    return this.inner.executeQuery<R>(query);
  }

  streamQuery<R>(query: CompiledQuery, chunkSize?: number): AsyncIterableIterator<QueryResult<R>> {
    checkScope();
    return this.inner.streamQuery<R>(query, chunkSize);
  }
}

class CancellableDriver implements Driver {
  private readonly wrapped = new WeakMap<DatabaseConnection, CancellableConnection>();

  constructor(
    private readonly inner: Driver,
    private readonly yieldFirst: boolean,
  ) {}

  init() {
    return this.inner.init();
  }

  async acquireConnection(): Promise<DatabaseConnection> {
    checkScope();
    const connection = await this.inner.acquireConnection();
    let wrapper = this.wrapped.get(connection);
    if (!wrapper) {
      wrapper = new CancellableConnection(connection, this.yieldFirst);
      this.wrapped.set(connection, wrapper);
    }
    return wrapper;
  }

  private unwrap(connection: DatabaseConnection): DatabaseConnection {
    return (connection as unknown as { inner?: DatabaseConnection }).inner ?? connection;
  }

  beginTransaction(connection: DatabaseConnection, settings: TransactionSettings) {
    return this.inner.beginTransaction(this.unwrap(connection), settings);
  }

  commitTransaction(connection: DatabaseConnection) {
    return this.inner.commitTransaction(this.unwrap(connection));
  }

  rollbackTransaction(connection: DatabaseConnection) {
    return this.inner.rollbackTransaction(this.unwrap(connection));
  }

  releaseConnection(connection: DatabaseConnection) {
    return this.inner.releaseConnection(this.unwrap(connection));
  }

  destroy() {
    return this.inner.destroy();
  }
}

/** The same dialect, refusing the statements of aborted requests (and, with yieldFirst, yielding before each). */
export function cancellableDialect(dialect: Dialect, options: { yieldFirst: boolean }): Dialect {
  return {
    createAdapter: () => dialect.createAdapter(),
    createDriver: () => new CancellableDriver(dialect.createDriver(), options.yieldFirst),
    createQueryCompiler: () => dialect.createQueryCompiler(),
    createIntrospector: (db) => dialect.createIntrospector(db),
  };
}

/** A pool for PostgresDialect that records, per request, the backend pid of each connection it holds. */
export function trackingPool(pool: pg.Pool) {
  return {
    async connect() {
      const scope = currentRequestScope();
      const client = await pool.connect();
      const pid = (client as unknown as { processID?: number }).processID;
      if (!scope || pid === undefined) return client;
      if (scope.aborted) {
        client.release();
        throw new RequestCancelledError();
      }
      scope.backends.add(pid);
      const release = client.release.bind(client);
      client.release = (error?: Error | boolean) => {
        scope.backends.delete(pid);
        client.release = release;
        return release(error);
      };
      return client;
    },
    end: () => pool.end(),
  };
}

/**
 * Cancels the statements a request is running on PostgreSQL, from a connection of its own
 * (the pool's may all be busy). Returns how many backends were asked.
 */
export async function cancelBackends(scope: RequestScope, connect: () => Promise<pg.Client>): Promise<number> {
  const pids = [...scope.backends];
  if (pids.length === 0) return 0;
  const client = await connect();
  try {
    await client.query("select pg_cancel_backend(pid) from unnest($1::int[]) as pid", [pids]);
  } finally {
    await client.end();
  }
  return pids.length;
}
