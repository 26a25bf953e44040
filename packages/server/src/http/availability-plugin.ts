// /healthz (the process is up), /readyz (the database is prepared and reachable), and a clear
// SERVICE_UNAVAILABLE for GraphQL requests while the database is still being prepared.
import type { Plugin } from "graphql-yoga";
import type { DatabaseHandle } from "../db/database.ts";
import { serviceUnavailableError } from "../graphql/errors.ts";

export interface Availability {
  database: DatabaseHandle;
  /** False until migrations and the initial load have succeeded (see app-database.ts). */
  isPrepared: () => boolean;
}

export function availabilityPlugin({ database, isPrepared }: Availability): Plugin {
  return {
    onRequest({ url, endResponse, fetchAPI }) {
      const json = (status: number, body: unknown) =>
        new fetchAPI.Response(JSON.stringify(body), { status, headers: { "content-type": "application/json", "cache-control": "no-store" } });
      if (url.pathname === "/healthz") {
        endResponse(json(200, { status: "ok" }));
      } else if (url.pathname === "/readyz") {
        if (!isPrepared()) {
          endResponse(json(503, { status: "database not prepared yet" }));
          return;
        }
        // ping() never throws: an exception here would escape the request pipeline.
        // Replicas do not gate readiness (reads fall back to the primary); their states are listed.
        return database.ping().then((ready) => {
          const replicas = database.replicas?.() ?? [];
          endResponse(json(ready ? 200 : 503, { status: ready ? "ready" : "database unavailable", ...(replicas.length ? { replicas } : {}) }));
        });
      }
    },
    onParams({ setResult }) {
      if (!isPrepared()) setResult({ errors: [serviceUnavailableError("the database is not prepared yet")] });
    },
  };
}
