// Which request a SQL statement belongs to, without passing it through every repository
// function: the time budget runs a request's execution inside `runInRequestScope`, and the
// database wrapper (cancellable-dialect.ts) reads the scope of each statement. When the budget
// runs out, the scope is aborted: statements not yet sent are refused, and statements running
// on PostgreSQL are cancelled on the server (pg_cancel_backend of their connection's pid).
import { AsyncLocalStorage } from "node:async_hooks";

export class RequestCancelledError extends Error {
  constructor() {
    super("the request ran out of time; its remaining statements were not sent");
    this.name = "RequestCancelledError";
  }
}

export class RequestScope {
  /** Set when the request ran out of time: its statements not yet sent are refused. */
  aborted = false;
  /** Backend pids of PostgreSQL connections this request holds right now. */
  readonly backends = new Set<number>();
}

const storage = new AsyncLocalStorage<RequestScope>();

export function currentRequestScope(): RequestScope | undefined {
  return storage.getStore();
}

/** Runs `work` (and every statement it sends) in `scope`. */
export function runInRequestScope<T>(scope: RequestScope, work: () => T): T {
  return storage.run(scope, work);
}
