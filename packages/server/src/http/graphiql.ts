// GraphiQL served entirely by this server. Yoga's default page loads its scripts, styles and
// editor workers from unpkg.com: offline, behind a firewall or when the CDN is down the page
// stays blank ("Loading __TITLE__..."). Here the same GraphiQL build (the pinned
// @graphql-yoga/render-graphiql) is served from /graphiql/<content hash>/…, cached for good by
// the browser, and the HTML page itself stays small.
// That build already bundles @graphiql/plugin-explorer (yoga's page mounts explorerPlugin() in
// its sidebar: "GraphiQL Explorer", build a query by ticking fields), so no GraphiQL bundle of
// our own is needed; the example tabs come as `defaultTabs` (graphiql-examples.ts).
import { createHash } from "node:crypto";
import { promisify } from "node:util";
import { gzip } from "node:zlib";
import type { GraphiQLOptions, Plugin } from "graphql-yoga";

export const graphiqlAssetsPath = "/graphiql/";

interface Asset {
  body: string | Uint8Array<ArrayBuffer>;
  /** The body gzipped (8.8 MB of text become 2.4 MB), for browsers that accept it. */
  gzipped?: Uint8Array<ArrayBuffer>;
  contentType: string;
}

const gzipAsync = promisify(gzip);

interface GraphiQLAssets {
  /** Changes with the GraphiQL build, so that its files can be cached as immutable. */
  version: string;
  files: Map<string, Asset>;
}

let loading: Promise<GraphiQLAssets> | undefined;

/** The GraphiQL build (about 9 MB of text): loaded on the first page view, not at startup. */
function graphiqlAssets(): Promise<GraphiQLAssets> {
  loading ??= import("@graphql-yoga/render-graphiql/graphiql").then(async (build) => {
    const script = "text/javascript; charset=utf-8";
    const favicon = /^data:([^;,]+);base64,(.*)$/s.exec(build.favicon);
    const files = new Map<string, Asset>([
      ["graphiql.css", { body: build.css, contentType: "text/css; charset=utf-8" }],
      ["graphiql.js", { body: build.js, contentType: script }],
      ["editor.worker.js", { body: build.editorWorkerService, contentType: script }],
      ["json.worker.js", { body: build.jsonWorker, contentType: script }],
      ["graphql.worker.js", { body: build.graphqlWorker, contentType: script }],
    ]);
    if (favicon) files.set("favicon.ico", { body: new Uint8Array(Buffer.from(favicon[2] ?? "", "base64")), contentType: favicon[1] ?? "image/x-icon" });
    // Compressed once, off the event loop (zlib's thread pool), not per request.
    await Promise.all(
      [...files.values()].map(async (file) => {
        if (typeof file.body === "string") file.gzipped = new Uint8Array(await gzipAsync(file.body));
      }),
    );
    const hash = createHash("sha256");
    for (const [name, file] of files) hash.update(name).update(file.body);
    return { version: hash.digest("hex").slice(0, 12), files };
  });
  return loading;
}

/** JSON that cannot end the <script> element it is written into. */
function scriptJson(value: unknown): string {
  return JSON.stringify(value)
    .replace(/</g, "\\u003c")
    .replace(/\u2028/g, "\\u2028")
    .replace(/\u2029/g, "\\u2029");
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

/** The GraphiQL page (yoga's `renderGraphiQL` option): a small HTML file that loads the build from this server. */
export async function renderGraphiQLPage(options: GraphiQLOptions): Promise<string> {
  const { version } = await graphiqlAssets();
  const base = `${graphiqlAssetsPath}${version}/`;
  const title = escapeHtml(options.title ?? "GraphiQL");
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${title}</title>
<link rel="icon" href="${base}favicon.ico">
<link rel="stylesheet" href="${base}graphiql.css">
</head>
<body id="body" class="no-focus-outline">
<noscript>GraphiQL needs JavaScript. Without it, POST queries to this URL as JSON: {"query": "{ departments { nodes { name } } }"}.</noscript>
<div id="root">Loading ${title}…</div>
<script>
self.MonacoEnvironment = {
  globalAPI: false,
  getWorkerUrl: (_moduleId, label) => ${scriptJson(base)} + ({ json: "json", graphql: "graphql" }[label] ?? "editor") + ".worker.js",
};
</script>
<script src="${base}graphiql.js"></script>
<script>YogaGraphiQL.renderYogaGraphiQL(document.getElementById("root"), ${scriptJson(options)});</script>
</body>
</html>
`;
}

/** Serves GET /graphiql/<version>/<file>; an old version's URL answers 404 (the page links the current one). */
export function graphiqlAssetsPlugin(): Plugin {
  return {
    onRequest({ request, url, endResponse, fetchAPI }) {
      if (!url.pathname.startsWith(graphiqlAssetsPath) || (request.method !== "GET" && request.method !== "HEAD")) return;
      const [version, name] = url.pathname.slice(graphiqlAssetsPath.length).split("/");
      return graphiqlAssets().then((assets) => {
        const file = version === assets.version && name ? assets.files.get(name) : undefined;
        if (!file) {
          endResponse(
            new fetchAPI.Response("Not found: reload the GraphiQL page at /graphql.", {
              status: 404,
              headers: { "content-type": "text/plain; charset=utf-8" },
            }),
          );
          return;
        }
        const compressed = file.gzipped && /\bgzip\b/.test(request.headers.get("accept-encoding") ?? "") ? file.gzipped : undefined;
        const headers: Record<string, string> = {
          "content-type": file.contentType,
          "cache-control": "public, max-age=31536000, immutable",
          vary: "accept-encoding",
        };
        if (compressed) headers["content-encoding"] = "gzip";
        const body = request.method === "HEAD" ? null : (compressed ?? file.body);
        endResponse(new fetchAPI.Response(body, { status: 200, headers }));
      });
    },
  };
}
