// One id per HTTP request: sent back as the x-request-id header and in every error, and written
// beside every logged failure, so that a user's report leads straight to the log line.
import { randomUUID } from "node:crypto";
import type { Plugin } from "graphql-yoga";

export const requestIdHeader = "x-request-id";

interface RequestInfo {
  id: string;
  /** performance.now() when the request arrived: the start of its time budget. */
  startedAt: number;
}

/**
 * A per-request value of one module, kept on the Request object itself. Same use as a
 * WeakMap<Request, T>, without its cost: each request made six WeakMap entries, which the
 * garbage collector handles as ephemerons.
 */
export interface RequestSlot<T> {
  get(request: Request): T | undefined;
  set(request: Request, value: T): void;
}

export function requestSlot<T>(description: string): RequestSlot<T> {
  const key = Symbol(description);
  type Holder = Request & { [key]?: T };
  return {
    get: (request) => (request as Holder)[key],
    set: (request, value) => {
      (request as Holder)[key] = value;
    },
  };
}

const requests = requestSlot<RequestInfo>("request id and start");

/** The request's id and start time; created on first use. */
export function requestInfo(request: Request): RequestInfo {
  let info = requests.get(request);
  if (!info) {
    info = { id: randomUUID(), startedAt: performance.now() };
    requests.set(request, info);
  }
  return info;
}

export function requestIdPlugin(): Plugin {
  return {
    onRequest({ request }) {
      requestInfo(request);
    },
    onResponse({ request, response }) {
      response.headers.set(requestIdHeader, requestInfo(request).id);
    },
  };
}
