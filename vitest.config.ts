import { defineConfig } from "vitest/config";
import { LongestFirstSequencer } from "./tests/support/sequencer.ts";

export default defineConfig({
  // graphql ships .mjs and .js builds; one instance must serve Pothos, Yoga and the tests.
  resolve: { alias: { graphql: "graphql/index.js" } },
  test: {
    include: ["tests/**/*.test.ts", "packages/*/src/**/*.test.ts"],
    globalSetup: ["tests/support/global-setup.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    // Two cores: files run in parallel forks, each with its own databases. A fork runs file
    // after file without a fresh module graph (isolate: false): the server, Pothos' schema,
    // PGlite's WebAssembly and the drivers load once per worker instead of once per file.
    pool: "forks",
    maxWorkers: 2,
    isolate: false,
    // The workers' short-lived objects (HTTP bodies, query results, PGlite's copies) outgrow
    // V8's 16 MB young generation: scavenges took ~13 % of their time. Measured: −5 % CPU.
    // PGlite's WebAssembly runs on V8's baseline compiler only: optimizing its hot functions
    // costs more than the few seconds each worker runs them gain (−15 % CPU on the PGlite-heavy
    // files). The server itself keeps V8's defaults: a long-running process gains from them.
    execArgv: ["--max-semi-space-size=64", "--liftoff-only"],
    sequence: { sequencer: LongestFirstSequencer },
  },
});
