// Every malformed setting is found before anything starts, one line each (main.ts prints them
// and exits 1; tests/production.test.ts checks that on the real process).
import { describe, expect, it } from "vitest";
import { configurationProblems, replicaOptionsFromEnv, serverOptionsFromEnv } from "../packages/server/src/config.ts";

describe("configuration problems", () => {
  it("finds none in an empty environment, and reads the defaults", () => {
    expect(configurationProblems({})).toEqual([]);
    expect(serverOptionsFromEnv({})).toEqual({
      port: 4000,
      host: "localhost",
      metricsPort: undefined,
      logLevel: "info",
      otlpEndpoint: undefined,
      serviceName: "welfare-graph",
    });
    expect(replicaOptionsFromEnv({})).toEqual({ readUrls: [], maxLagMs: 10_000, checkIntervalMs: 2_000 });
  });

  it("names each bad variable once, with what it accepts", () => {
    expect(
      configurationProblems({
        PORT: "4000",
        METRICS_PORT: "4000",
        REQUEST_TIMEOUT_MS: "1.5",
        INTROSPECTION: "maybe",
        MAX_QUERY_DEPTH: "0",
        REPLICA_MAX_LAG_MS: "soon",
      }),
    ).toEqual([
      'REQUEST_TIMEOUT_MS must be a positive whole number, got "1.5"',
      'MAX_QUERY_DEPTH must be a positive whole number, got "0"',
      'REPLICA_MAX_LAG_MS must be a positive whole number, got "soon"',
      'INTROSPECTION must be true or false, got "maybe"',
      "METRICS_PORT must differ from PORT (both 4000)",
    ]);
  });

  it("checks database URLs without printing their passwords", () => {
    expect(configurationProblems({ DATABASE_URL: "mysql://app:s3cret@db/welfare" })).toEqual([
      'DATABASE_URL must be a postgres:// URL, got "mysql://app:***@db/welfare"',
    ]);
    expect(configurationProblems({ DATABASE_READ_URL: "postgres://replica/welfare" })).toEqual([
      "DATABASE_READ_URL needs DATABASE_URL (the primary): replicas of the embedded PGlite do not exist",
    ]);
    expect(
      replicaOptionsFromEnv({
        DATABASE_URL: "postgres://primary/welfare",
        DATABASE_READ_URL: " postgres://r1/welfare, postgresql://r2:5433/welfare ",
        REPLICA_MAX_LAG_MS: "500",
      }),
    ).toEqual({ readUrls: ["postgres://r1/welfare", "postgresql://r2:5433/welfare"], maxLagMs: 500, checkIntervalMs: 2_000 });
  });

  it("reads a trusted-documents manifest that cannot be loaded as one problem", () => {
    const problems = configurationProblems({ TRUSTED_DOCUMENTS: "/nonexistent/manifest.json" });
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(/^trusted documents: cannot read \/nonexistent\/manifest.json as JSON/);
  });
});
