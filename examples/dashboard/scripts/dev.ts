// `pnpm dashboard`: the API (embedded PGlite unless DATABASE_URL is set, as `pnpm start`) and the
// Vite dev server together. Vite forwards /graphql to the API, so the app needs no CORS setup.
// Ctrl+C stops both. PORT is the API's port (default 4000), DASHBOARD_PORT the app's (5173).
import { type ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";
import { createServer } from "vite";

const root = fileURLToPath(new URL("../../../", import.meta.url));
const apiPort = Number(process.env.PORT ?? 4000);
const appPort = Number(process.env.DASHBOARD_PORT ?? 5173);
const api = `http://localhost:${apiPort}`;

const tsx = createRequire(new URL("packages/server/package.json", `file://${root}`)).resolve("tsx/cli");
const server: ChildProcess = spawn(process.execPath, [tsx, "packages/server/src/main.ts"], {
  cwd: root,
  env: { ...process.env, PORT: String(apiPort) },
  stdio: "inherit",
});
let stopping = false;
server.on("exit", (code) => {
  if (stopping) return;
  console.error(`the API stopped (exit code ${code}); stopping the dashboard`);
  process.exit(code || 1);
});

/** The first start loads the bundled dataset into the embedded database: wait for /readyz. */
async function apiReady(): Promise<void> {
  for (let attempt = 0; attempt < 600; attempt++) {
    const ready = await fetch(`${api}/readyz`).then(
      (response) => response.ok,
      () => false,
    );
    if (ready) return;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`the API at ${api} was not ready within 120 s`);
}

await apiReady();
const vite = await createServer({
  configFile: fileURLToPath(new URL("../vite.config.ts", import.meta.url)),
  server: { port: appPort }, // the config's proxy reads the same PORT
});
await vite.listen();
console.log(`\n  dashboard: ${vite.resolvedUrls?.local[0] ?? `http://localhost:${appPort}/`}   (API and GraphiQL: ${api}/graphql)\n`);

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopping = true;
    server.kill("SIGTERM");
    void vite.close().then(() => server.once("exit", () => process.exit(0)));
  });
}
