// The node:http server around the app, with the socket-level limits yoga cannot set, and a
// graceful shutdown: stop accepting, let in-flight requests finish, close every keep-alive.
import { createServer, type Server, type ServerResponse } from "node:http";
import type { App } from "../yoga.ts";

export interface HttpServer {
  server: Server;
  /** Resolves when every connection has closed; new connections are refused from the first call. */
  shutdown(): Promise<void>;
}

export function createHttpServer(app: App): HttpServer {
  let stopping = false;
  const inFlight = new Set<ServerResponse>();
  const server = createServer((request, response) => {
    inFlight.add(response);
    response.on("close", () => {
      inFlight.delete(response);
      // A keep-alive socket that just finished its last request must not keep the server open.
      if (stopping) setImmediate(() => server.closeIdleConnections());
    });
    if (stopping) response.setHeader("connection", "close");
    app(request, response);
  });
  // Slow clients (slowloris) must not hold sockets: headers within 10 s, the whole request within 30 s.
  server.headersTimeout = 10_000;
  server.requestTimeout = 30_000;
  let closed: Promise<void> | undefined;
  return {
    server,
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
