// Start-up time and memory of the server under tsx and compiled (docs/operations.md):
//   pnpm build && node packages/server/bench/startup.mjs <postgres URL of a loaded database | PGlite folder>
// Interleaved runs, median of 5 each: spawn → the "database ready" log line, then resident
// memory (VmRSS) after 20 nested queries.
import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const target = process.argv[2] ?? `${root}.data`;
const env = target.includes("://") ? { DATABASE_URL: target } : { PGLITE_DATA_DIR: target, DATABASE_URL: "" };
const port = "4399";
const variants = {
  tsx: ["--import", "tsx", "packages/server/src/main.ts"],
  compiled: ["packages/server/dist/main.js"],
};
const query = "{ departments(first: 5) { nodes { name projects(first: 5) { nodes { name amountThousandYen } } } } }";

async function once(name) {
  const started = performance.now();
  const child = spawn(process.execPath, variants[name], {
    cwd: root,
    env: { ...process.env, ...env, PORT: port, HOST: "127.0.0.1" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  let output = "";
  await new Promise((resolve) =>
    child.stdout.on("data", (chunk) => {
      output += chunk;
      if (output.includes("database ready")) resolve();
    }),
  );
  const readyMs = performance.now() - started;
  for (let i = 0; i < 20; i++) {
    const response = await fetch(`http://127.0.0.1:${port}/graphql`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ query }),
    });
    await response.text();
  }
  const rssMb = Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${child.pid}/status`, "utf8"))[1]) / 1024;
  child.kill("SIGTERM");
  await new Promise((resolve) => child.on("exit", resolve));
  return { readyMs, rssMb };
}

const runs = { tsx: [], compiled: [] };
await once("compiled"); // warms the file cache (and loads an empty database)
for (let round = 0; round < 5; round++) for (const name of Object.keys(runs)) runs[name].push(await once(name));
const median = (values) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)];
for (const [name, each] of Object.entries(runs)) {
  console.log(`${name.padEnd(8)} ready ${Math.round(median(each.map((run) => run.readyMs)))} ms, RSS ${Math.round(median(each.map((run) => run.rssMb)))} MB`);
}
