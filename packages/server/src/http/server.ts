// The node:http server around the app, with the socket-level limits yoga cannot set, admission
// control in front of GraphQL, and a graceful shutdown: stop accepting, let in-flight requests
// finish, close every keep-alive.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { App } from "../yoga.ts";
import { Admission, type AdmissionOptions } from "./admission.ts";

export interface HttpServer {
  server: Server;
  /** The admission control of GraphQL requests (its live counts), when enabled. */
  admission?: Admission;
  /** Resolves when every connection has closed; new connections are refused from the first call. */
  shutdown(): Promise<void>;
}

export interface HttpServerOptions {
  /** Admission control of /graphql requests; /healthz, /readyz and static assets bypass it. Off when absent. */
  admission?: AdmissionOptions;
}

const graphqlPath = /^\/graphql(?:[/?]|$)/;

/** SERVICE_UNAVAILABLE in the GraphQL error shape, with Retry-After, sent without reading the body. */
function refuse(response: ServerResponse, retryAfterSeconds: number, why: string) {
  const body = JSON.stringify({
    errors: [{ message: `The server is at capacity (${why}); retry in ${retryAfterSeconds} s.`, extensions: { code: "SERVICE_UNAVAILABLE" } }],
  });
  response.writeHead(503, {
    "content-type": "application/json; charset=utf-8",
    "retry-after": String(retryAfterSeconds),
    "cache-control": "no-store",
    "content-length": Buffer.byteLength(body),
  });
  response.end(body);
}

export function createHttpServer(app: App, options: HttpServerOptions = {}): HttpServer {
  let stopping = false;
  const inFlight = new Set<ServerResponse>();
  const admission = options.admission ? new Admission(options.admission) : undefined;

  const handle = (request: IncomingMessage, response: ServerResponse) => {
    if (!admission || !graphqlPath.test(request.url ?? "")) {
      app(request, response);
      return;
    }
    void admission.enter().then((release) => {
      if (!release) {
        refuse(response, admission.options.retryAfterSeconds, "too many requests in flight");
        return;
      }
      response.on("close", release);
      // The client may have gone while the request waited.
      if (response.destroyed) release();
      else app(request, response);
    });
  };

  const server = createServer((request, response) => {
    inFlight.add(response);
    response.on("close", () => {
      inFlight.delete(response);
      // A keep-alive socket that just finished its last request must not keep the server open.
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
    if (stopping) response.setHeader("connection", "close");
    handle(request, response);
  });
  // Slow clients (slowloris) must not hold sockets: headers within 10 s, the whole request within 30 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  let closed: Promise<void> | undefined;
  return {
    server,
    ...(admission ? { admission } : {}),
    shutdown() {
      stopping = true;
      for (const response of inFlight) if (!response.headersSent) response.setHeader("connection", "close");
      closed ??= new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeIdleConnections();
      });
      return closed;
    },
  };
}
