// The dashboard's build and dev server. The app calls `/graphql` on its own origin; the dev and
// preview servers forward that path to the API (WELFARE_GRAPH_API, default http://localhost:4000),
// so no CORS setup is needed. Built for another host, VITE_API_URL points it at the API directly.
import { fileURLToPath } from "node:url";
import react from "@vitejs/plugin-react";
import { defineConfig } from "vite";

const api = process.env.WELFARE_GRAPH_API ?? `http://localhost:${process.env.PORT ?? 4000}`;
// /graphiql/ holds the GraphiQL page's scripts, for the footer's link to it.
const proxy = { "/graphql": { target: api, changeOrigin: true }, "/graphiql/": { target: api, changeOrigin: true } };

export default defineConfig({
  plugins: [react()],
  resolve: {
    // In this workspace, the SDK's TypeScript source: no SDK build step before `pnpm dashboard`.
    // A copy of this app outside the repo drops the alias and installs @welfare-graph/sdk.
    alias: { "@welfare-graph/sdk": fileURLToPath(new URL("../../packages/sdk/src/index.ts", import.meta.url)) },
  },
  server: { proxy },
  preview: { proxy },
  build: { chunkSizeWarningLimit: 1_000 },
});
