// A per-request time budget: when execution has not finished within the budget (counted from
// the request's arrival), the client gets REQUEST_TIMEOUT instead of waiting, and the work
// stops: the request's scope is aborted, so its statements not yet sent are refused, and the
// ones running on PostgreSQL are cancelled (db/cancellable-dialect.ts).
import type { ExecutionResult } from "graphql";
import { isPromise, type Plugin } from "graphql-yoga";
import { RequestScope, runInRequestScope } from "../db/request-scope.ts";
import { requestTimeoutError } from "../graphql/errors.ts";
import { requestInfo } from "./request-id.ts";

export interface TimeBudgetOptions {
  /** Cancels what the request still runs in the database (DatabaseHandle.cancelRequest). */
  cancel?: ((scope: RequestScope) => Promise<unknown>) | undefined;
  /** Told when cancelling fails (the database is unreachable, …); the client has its answer anyway. */
  onCancelError?: (error: unknown) => void;
}

export function timeBudgetPlugin(budgetMs: number, options: TimeBudgetOptions = {}): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const request = (args.contextValue as { request?: Request }).request;
      const startedAt = request ? requestInfo(request).startedAt : performance.now();
      const timedOut = (): ExecutionResult => ({
        errors: [requestTimeoutError(`The request took longer than its time budget of ${budgetMs} ms`)],
      });
      setExecuteFn((executionArgs) => {
        const remaining = budgetMs - (performance.now() - startedAt);
        if (remaining <= 0) return timedOut();
        const scope = new RequestScope();
        const result = runInRequestScope(scope, () => executeFn(executionArgs));
        if (!isPromise(result)) return result;
        return new Promise<ExecutionResult>((resolve, reject) => {
          const timer = setTimeout(() => {
            scope.aborted = true;
            options.cancel?.(scope).catch((error: unknown) => options.onCancelError?.(error));
            resolve(timedOut());
          }, remaining);
          result.then(
            (value) => {
              clearTimeout(timer);
              resolve(value);
            },
            (error: unknown) => {
              clearTimeout(timer);
              reject(error);
            },
          );
        });
      });
    },
  };
}
