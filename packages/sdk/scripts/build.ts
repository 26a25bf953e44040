// `pnpm build`: ESM and CommonJS builds with declarations, by running tsc twice, into dist/.
// dist/cjs gets a package.json marking its .js (and .d.ts) as CommonJS; the persisted-documents
// manifest is copied beside them for servers that accept only trusted documents, and the
// server's schema.graphql for teams that generate typed documents of their own.
import { execFileSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { fileURLToPath } from "node:url";

const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const dist = path.join(sdkDir, "dist");
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");

rmSync(dist, { recursive: true, force: true });
for (const project of ["tsconfig.build.json", "tsconfig.build-cjs.json"]) {
  execFileSync(process.execPath, [tsc, "-p", path.join(sdkDir, project)], { stdio: "inherit" });
}
writeFileSync(path.join(dist, "cjs/package.json"), `${JSON.stringify({ type: "commonjs" }, null, 2)}\n`);
mkdirSync(dist, { recursive: true });
copyFileSync(path.join(sdkDir, "src/__generated__/persisted-documents.json"), path.join(dist, "persisted-documents.json"));
// The server's schema, for teams generating typed documents of their own operations (graphql-codegen client-preset).
copyFileSync(path.join(sdkDir, "../server/schema.graphql"), path.join(dist, "schema.graphql"));
console.log(`built ${path.relative(process.cwd(), dist) || "dist"}: esm, cjs, persisted-documents.json, schema.graphql`);
