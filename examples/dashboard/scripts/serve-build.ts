// Build the dashboard and serve the build (vite preview) against a given API: what the browser
// test in tests/browser.test.ts runs, importable so that it needs no Vite of its own.
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { build, preview } from "vite";

const root = fileURLToPath(new URL("..", import.meta.url));
const configFile = fileURLToPath(new URL("../vite.config.ts", import.meta.url));

export async function buildDashboard(outDir: string): Promise<void> {
  await build({ root, configFile, logLevel: "warn", build: { outDir, emptyOutDir: true } });
}

/** Serves `outDir` on 127.0.0.1 and a free port, forwarding /graphql and /graphiql/ to `api` (an origin). */
export async function previewDashboard(outDir: string, api: string): Promise<{ url: string; close(): Promise<void> }> {
  const target = { target: api, changeOrigin: true };
  const server = await preview({
    root,
    configFile,
    // Silent: the test stops the API on purpose, and the proxy would log each refused request.
    logLevel: "silent",
    build: { outDir },
    preview: { host: "127.0.0.1", port: 0, strictPort: false, open: false, proxy: { "/graphql": target, "/graphiql/": target } },
  });
  const { port } = server.httpServer.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}/`, close: () => server.close() };
}
