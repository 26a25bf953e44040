// The one place that talks to the API: a typed @welfare-graph/sdk client, and a React hook that
// runs one of its calls with loading and error states. Copy this file to start another app.
import { createClient, GraphQLResponseError, HttpError, NetworkError } from "@welfare-graph/sdk";
import { useCallback, useEffect, useRef, useState } from "react";

/** Same origin by default (the dev and preview servers forward /graphql to the API). */
export const apiUrl = new URL(import.meta.env.VITE_API_URL ?? "/graphql", window.location.href);

export const client = createClient({ url: apiUrl });

export type QueryState<T> = { status: "loading" } | { status: "error"; error: unknown } | { status: "done"; data: T };

/**
 * Runs `load` whenever `key` changes, cancelling the call it replaces; `retry` runs it again.
 * `key` names everything `load` depends on (e.g. `project:${id}`).
 */
export function useQuery<T>(key: string, load: (signal: AbortSignal) => Promise<T>): QueryState<T> & { retry(): void } {
  const [state, setState] = useState<QueryState<T>>({ status: "loading" });
  const [attempt, setAttempt] = useState(0);
  const loadRef = useRef(load);
  loadRef.current = load;
  // `key` and `attempt` trigger a call; `load` is read through a ref, a new closure each render.
  useEffect(() => {
    const controller = new AbortController();
    setState({ status: "loading" });
    loadRef.current(controller.signal).then(
      (data) => controller.signal.aborted || setState({ status: "done", data }),
      (error: unknown) => controller.signal.aborted || setState({ status: "error", error }),
    );
    return () => controller.abort();
  }, [key, attempt]);
  const retry = useCallback(() => setAttempt((n) => n + 1), []);
  return { ...state, retry };
}

export type ErrorKind = "api-down" | "api-error" | "unexpected";

/** API unreachable (no answer, or a proxy's 5xx page) is told apart from errors the API reports. */
export function classifyError(error: unknown): { kind: ErrorKind; detail: string } {
  if (error instanceof NetworkError) return { kind: "api-down", detail: error.message };
  if (error instanceof HttpError) return { kind: error.status >= 500 ? "api-down" : "api-error", detail: error.message };
  if (error instanceof GraphQLResponseError) return { kind: "api-error", detail: error.message };
  return { kind: "unexpected", detail: error instanceof Error ? error.message : String(error) };
}
