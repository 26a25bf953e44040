// `pnpm --filter @welfare-graph/sdk bundle-size`: what an app pays for the SDK, bundled by
// esbuild for the browser (minified, then gzipped), for three kinds of app. The figures go in
// README.md ("Bundle size"); tests/sdk-bundle.test.ts checks which operation texts each keeps.

import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const sdkDir = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");

export interface Bundle {
  code: string;
  minifiedBytes: number;
  gzippedBytes: number;
}

/** Bundles `source` (an app importing "@welfare-graph/sdk") as a browser ESM app, minified. */
export async function bundleApp(source: string): Promise<Bundle> {
  const result = await build({
    stdin: { contents: source, loader: "ts", resolveDir: sdkDir, sourcefile: "app.ts" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "browser",
    target: "es2022",
    write: false,
    // The package as an app resolves it: its "." export is this source tree.
    alias: { "@welfare-graph/sdk": path.join(sdkDir, "src/index.ts") },
    logLevel: "silent",
  });
  const code = result.outputFiles[0]!.text;
  return { code, minifiedBytes: Buffer.byteLength(code), gzippedBytes: gzipSync(code, { level: 9 }).byteLength };
}

export const apps = {
  "one SDK operation with client.request": `
    import { createRequestClient, DepartmentsOperation } from "@welfare-graph/sdk";
    const client = createRequestClient({ url: "/graphql", method: "GET" });
    console.log(await client.request(DepartmentsOperation, { first: 10 }));`,
  "one client-preset document (documentMode string) with client.request": `
    import { createRequestClient } from "@welfare-graph/sdk";
    class TypedDocumentString extends String {}
    const LargestProjects = new TypedDocumentString("query LargestProjects($first: Int!) { projects(first: $first) { nodes { name amountThousandYen } } }");
    const client = createRequestClient({ url: "/graphql" });
    console.log(await client.request(LargestProjects, { first: 5 }));`,
  "createClient (every generated method)": `
    import { createClient } from "@welfare-graph/sdk";
    const client = createClient({ url: "/graphql" });
    console.log(await client.departments({ first: 10 }));`,
} as const;

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  console.log("| app | minified | minified + gzip |\n|---|---:|---:|");
  for (const [name, source] of Object.entries(apps)) {
    const bundle = await bundleApp(source);
    console.log(`| ${name} | ${(bundle.minifiedBytes / 1024).toFixed(1)} kB | ${(bundle.gzippedBytes / 1024).toFixed(1)} kB |`);
  }
}
