// GraphiQL as a newcomer meets it: the page and every file it loads come from this server (no
// CDN, so it works offline), and the default tab's query runs, within the limits, on real data.
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultQueryLimits } from "../packages/server/src/graphql/query-limits.ts";
import { graphiqlExampleTabs } from "../packages/server/src/http/graphiql-examples.ts";
import { exampleQuery } from "../packages/server/src/yoga.ts";
import { startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";

describe.each(engines())("GraphiQL on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const get = (path: string, accept = "*/*") => t.app.fetch(`http://localhost${path}`, { headers: { accept } });

  it("serves the page and every script, style and worker it needs from this server", async () => {
    const page = await get("/graphql", "text/html");
    expect(page.status).toBe(200);
    const html = await page.text();
    // Nothing from another origin: unpkg.com down or blocked must not leave a blank page.
    expect(html).not.toMatch(/(src|href)="?https?:/);
    expect(html).not.toContain("__TITLE__");
    const assets = [...html.matchAll(/(?:src|href)="(\/graphiql\/[^"]+)"/g)].map((m) => m[1]!);
    const workerBase = /getWorkerUrl: .*?"(\/graphiql\/[^"]+\/)"/.exec(html)?.[1];
    expect(workerBase).toBeDefined();
    assets.push(...["editor", "json", "graphql"].map((worker) => `${workerBase}${worker}.worker.js`));
    expect(assets.map((a) => a.split("/").pop()).sort()).toEqual([
      "editor.worker.js",
      "favicon.ico",
      "graphiql.css",
      "graphiql.js",
      "graphql.worker.js",
      "json.worker.js",
    ]);
    for (const asset of assets) {
      const response = await get(asset);
      expect(response.status, asset).toBe(200);
      expect(response.headers.get("cache-control")).toContain("immutable");
      expect((await response.arrayBuffer()).byteLength, asset).toBeGreaterThan(1_000);
    }
    expect((await get(assets.find((a) => a.endsWith(".css"))!)).headers.get("content-type")).toMatch(/^text\/css/);
    expect((await get(assets.find((a) => a.endsWith("graphiql.js"))!)).headers.get("content-type")).toMatch(/^text\/javascript/);
  });

  it("sends the 9 MB build gzipped to browsers that accept it", async () => {
    const page = await (await get("/graphql", "text/html")).text();
    const script = /src="(\/graphiql\/[^"]+\/graphiql\.js)"/.exec(page)![1]!;
    const plain = Buffer.from(await (await get(script)).arrayBuffer());
    const response = await t.app.fetch(`http://localhost${script}`, { headers: { "accept-encoding": "gzip, deflate, br" } });
    expect(response.headers.get("content-encoding")).toBe("gzip");
    expect(response.headers.get("vary")).toBe("accept-encoding");
    const compressed = Buffer.from(await response.arrayBuffer());
    expect(compressed.length).toBeLessThan(plain.length / 2);
    expect(gunzipSync(compressed).equals(plain)).toBe(true);
  });

  it("serves a build that carries the Explorer plugin (@graphiql/plugin-explorer) in the sidebar", async () => {
    const page = await (await get("/graphql", "text/html")).text();
    const script = await (await get(/src="(\/graphiql\/[^"]+\/graphiql\.js)"/.exec(page)![1]!)).text();
    // explorerPlugin() returns { title: "GraphiQL Explorer", … }, and yoga's page passes it in `plugins`.
    expect(script).toContain('title:"GraphiQL Explorer"');
    expect(script).toMatch(/plugins:\[\w+\]/);
  });

  it("answers 404 for files of another GraphiQL build and for unknown files", async () => {
    expect((await get("/graphiql/0123456789ab/graphiql.js")).status).toBe(404);
    const page = await (await get("/graphql", "text/html")).text();
    const base = /href="(\/graphiql\/[^/]+\/)graphiql\.css"/.exec(page)![1]!;
    expect((await get(`${base}secrets.txt`)).status).toBe(404);
  });

  it("puts the example query in the default tab, and it runs without errors within the cost limit", async () => {
    const html = await (await get("/graphql", "text/html")).text();
    expect(html).toContain(JSON.stringify(exampleQuery).replace(/</g, "\\u003c"));
    const { status, body } = await t.graphql(exampleQuery);
    expect(body.errors).toBeUndefined();
    expect(status).toBe(200);
    const cost = body.extensions?.cost?.requestedQueryCost as number;
    expect(cost).toBeGreaterThan(0);
    expect(cost).toBeLessThanOrEqual(defaultQueryLimits.maxCost);
    const { projects, spending, search } = body.data;
    expect(projects.nodes).toHaveLength(5);
    expect(projects.nodes[0]).toMatchObject({ name: "保育の実施", amountThousandYen: "29116098", department: { name: "保育幼稚園課" }, source: { page: 22 } });
    // Largest first, as the comment in the query promises.
    const amounts = projects.nodes.map((p: { amountThousandYen: string }) => BigInt(p.amountThousandYen));
    expect([...amounts].sort((a, b) => (a < b ? 1 : a > b ? -1 : 0))).toEqual(amounts);
    expect(spending.nodes[0].department.name).toBe("保育幼稚園課");
    expect(search.totalCount).toBeGreaterThan(0);
    expect(search.nodes[0].node.name).toContain("里親");
  });
});

describe.each(engines())("GraphiQL switched off on %s", (kind) => {
  it("serves neither the page nor its files", async () => {
    const t = await startTestApp(kind, { load: false, app: { graphiql: false } });
    try {
      const page = await t.app.fetch("http://localhost/graphql", { headers: { accept: "text/html" } });
      expect(await page.text()).not.toContain("graphiql.js");
      expect((await t.app.fetch("http://localhost/graphiql/x/graphiql.js")).status).toBe(404);
    } finally {
      await t.close();
    }
  });
});

/** Columns a line takes in the editor's monospace font: CJK and full-width characters take two. */
function columns(line: string): number {
  return [...line].reduce((n, c) => n + (/[\u1100-\u115F\u2E80-\uA4CF\uAC00-\uD7A3\uF900-\uFAFF\uFE30-\uFE4F\uFF00-\uFF60\uFFE0-\uFFE6]/.test(c) ? 2 : 1), 0);
}

describe("GraphiQL's example tabs", () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp("pglite");
  });
  afterAll(() => t?.close());

  const tabs = graphiqlExampleTabs(exampleQuery);

  it("are named operations, one per tab, the page opens with them, and their comments fit the editor at 1280 px", async () => {
    const names = tabs.map((tab) => /^(?:query|mutation) (\w+)/m.exec(tab.query)?.[1]);
    expect(names).toEqual(["Showcase", "SpendingByDepartment", "NestedPage", "Search", "ProjectSeries"]);
    const html = await (await t.app.fetch("http://localhost/graphql", { headers: { accept: "text/html" } })).text();
    for (const tab of tabs) expect(html).toContain(JSON.stringify(tab.query).replace(/</g, "\\u003c"));
    const long = tabs.flatMap((tab) => tab.query.split("\n").filter((line) => line.trimStart().startsWith("#") && columns(line) > 48));
    expect(long).toEqual([]);
  });

  it.each(tabs.slice(1).map((tab) => [/^query (\w+)/m.exec(tab.query)![1]!, tab] as const))(
    "%s runs without errors within the cost limit and finds data",
    async (_name, tab) => {
      const { status, body } = await t.graphql(tab.query, tab.variables ? JSON.parse(tab.variables) : undefined);
      expect(body.errors).toBeUndefined();
      expect(status).toBe(200);
      expect(body.extensions?.cost?.requestedQueryCost).toBeLessThanOrEqual(defaultQueryLimits.maxCost);
      const data = body.data;
      if (data.spending) expect(data.spending.totalCount).toBe(15);
      if (data.departments) expect(data.departments.nodes[0].projects.nodes.length).toBeGreaterThan(0);
      if (data.search) expect(data.search.nodes.map((n: { node: { name?: string } }) => n.node.name)).toContain("ペアレントトレーニング事業");
      if (data.projects) expect(data.projects.nodes[0].series[0]).toMatchObject({ fiscalYear: { year: 2023 }, amountThousandYen: "29116098" });
    },
  );
});
