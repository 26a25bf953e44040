#!/usr/bin/env node
// Runs the TypeScript importer through tsx's loader, so the bin works without a build step and
// from any folder (tsx is resolved from this package, not from the caller's).
import { spawnSync } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath, pathToFileURL } from "node:url";

const require = createRequire(import.meta.url);
const tsx = pathToFileURL(require.resolve("tsx/esm")).href;
const cli = fileURLToPath(new URL("../src/import/cli.ts", import.meta.url));
const { status } = spawnSync(process.execPath, ["--import", tsx, cli, ...process.argv.slice(2)], { stdio: "inherit" });
process.exit(status ?? 1);
