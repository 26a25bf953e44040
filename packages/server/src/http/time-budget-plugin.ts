// A per-request time budget: when execution has not finished within the budget (counted from
// the request's arrival), the client gets REQUEST_TIMEOUT instead of waiting. Work still in
// flight is bounded separately by the database's statement_timeout.
import type { ExecutionResult } from "graphql";
import type { Plugin } from "graphql-yoga";
import { requestTimeoutError } from "../graphql/errors.ts";
import { requestInfo } from "./request-id.ts";

export function timeBudgetPlugin(budgetMs: number): Plugin {
  return {
    onExecute({ args, executeFn, setExecuteFn }) {
      const request = (args.contextValue as { request?: Request }).request;
      const startedAt = request ? requestInfo(request).startedAt : performance.now();
      const timedOut = (): ExecutionResult => ({
        errors: [requestTimeoutError(`The request took longer than its time budget of ${budgetMs} ms`)],
      });
      setExecuteFn(async (executionArgs) => {
        const remaining = budgetMs - (performance.now() - startedAt);
        if (remaining <= 0) return timedOut();
        let timer: NodeJS.Timeout | undefined;
        const deadline = new Promise<ExecutionResult>((resolve) => {
          timer = setTimeout(() => resolve(timedOut()), remaining);
        });
        try {
          return await Promise.race([Promise.resolve(executeFn(executionArgs)), deadline]);
        } finally {
          clearTimeout(timer);
        }
      });
    },
  };
}
