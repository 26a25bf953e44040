// Japanese search: two-character words, kana and width variants, AND of words, no hits,
// ranking, snippets and paging; and the plan of the search statement on a larger table.
import { CompiledQuery } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSyntheticProjects } from "../packages/server/bench/synthetic.ts";
import { type Json, startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";
import { fold, textMatches } from "./support/expectations.ts";
import { generateDataset } from "./support/generated-dataset.ts";
import { bundledDataset, type DatasetName, type QueryFixture, startQueryFixture } from "./support/query-fixture.ts";

const datasets: DatasetName[] = ["data files", "generated"];
const cases = engines().flatMap((kind) => datasets.map((dataset) => [kind, dataset] as const));

const searchQuery = `query($q: String!, $types: [SearchableType!], $first: Int, $after: String) {
  search(query: $q, types: $types, first: $first, after: $after) {
    totalCount
    edges { cursor node { score snippet node { id __typename } } }
    pageInfo { hasNextPage endCursor }
  }
}`;

describe.each(cases)("search on %s with the %s", (kind, dataset) => {
  let f: QueryFixture;
  let named: Array<{ id: string; type: string; text: string }>;
  beforeAll(async () => {
    f = await startQueryFixture(kind, dataset);
    const data = dataset === "generated" ? generateDataset() : bundledDataset();
    // Departments and groups are searched by name (Japanese and English).
    named = data.bundles.flatMap((b) => [
      ...b.departments.map((d) => ({
        id: f.departmentIds.get(`${b.municipality.code}/${d.data.department.key}`)!,
        type: "Department",
        text: `${d.data.department.nameJa} ${d.data.department.nameEn}`,
      })),
      ...(b.municipality.beneficiaryGroups ?? []).map((g) => ({
        id: f.groupIds.get(`${b.municipality.code}/${g.key}`)!,
        type: "BeneficiaryGroup",
        text: `${g.nameJa} ${g.nameEn}`,
      })),
    ]);
    named = [...new Map(named.filter((n) => n.id).map((n) => [n.id, n])).values()];
  });
  afterAll(() => f?.close());

  async function search(q: string, types?: string[]) {
    const hits: Json[] = [];
    let after: string | null = null;
    let totalCount = 0;
    for (let guard = 0; guard < 100; guard++) {
      const { body } = (await f.t.graphql(searchQuery, { q, types, first: 100, after })) as Json;
      if (body.errors) throw new Error(JSON.stringify(body.errors));
      hits.push(...body.data.search.edges.map((e: Json) => e.node));
      totalCount = body.data.search.totalCount;
      if (!body.data.search.pageInfo.hasNextPage) break;
      after = body.data.search.pageInfo.endCursor;
    }
    return { hits, totalCount };
  }

  const expectedIds = (q: string) => {
    const words = fold(q).split(/\s+/u).filter(Boolean);
    return [
      ...f.projects.filter((p) => textMatches(p, q)).map((p) => f.projectIds.get(`${p.municipalityCode}/${p.fiscalYear}/${p.key}`)!),
      ...named.filter((n) => words.every((w) => fold(n.text).includes(w))).map((n) => n.id),
    ].sort();
  };

  it.each(["保育", "虐待", "里親", "相談"])("finds every project, department and group holding the two-character word %s", async (word) => {
    const { hits, totalCount } = await search(word);
    const expected = expectedIds(word);
    expect(expected.length).toBeGreaterThan(0);
    expect(totalCount).toBe(expected.length);
    expect(hits.map((h) => h.node.id).sort()).toEqual(expected);
  });

  it("matches half-width, full-width katakana and hiragana forms of the same word alike", async () => {
    const variants = ["ﾍﾟｱﾚﾝﾄ", "ペアレント", "ぺあれんと"];
    const results = await Promise.all(variants.map(async (v) => (await search(v)).hits.map((h) => h.node.id).sort()));
    expect(results[0]!.length).toBeGreaterThan(0);
    expect(results[1]).toEqual(results[0]);
    expect(results[2]).toEqual(results[0]);
    expect(results[0]).toEqual(expectedIds("ペアレント"));
    if (dataset === "generated") {
      // The generated descriptions write ほいく in hiragana; a katakana query finds them.
      const katakana = await search("ホイク");
      expect(katakana.totalCount).toBeGreaterThan(0);
      expect(katakana.hits.map((h) => h.node.id).sort()).toEqual(expectedIds("ほいく"));
    }
  });

  it("requires every word of a query (AND), full-width spaces included", async () => {
    const [a, b] = dataset === "generated" ? ["相談", "里親"] : ["生活保護", "就労"];
    const both = await search(`${a}　${b}`);
    const onlyA = await search(a!);
    expect(both.totalCount).toBeGreaterThan(0);
    expect(both.totalCount).toBeLessThan(onlyA.totalCount);
    expect(both.hits.map((h) => h.node.id).sort()).toEqual(expectedIds(`${a} ${b}`));
  });

  it("returns an empty connection for words that occur nowhere", async () => {
    for (const q of ["該当なし語句", "保育 存在しない", "zzqx"]) {
      const { body } = (await f.t.graphql(searchQuery, { q })) as Json;
      expect(body.errors).toBeUndefined();
      expect(body.data.search).toEqual({ totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } });
    }
  });

  it("ranks name matches first and shows the matched passage as printed", async () => {
    const { hits } = await search("里親");
    const scores = hits.map((h) => Number(h.score));
    expect(scores).toEqual([...scores].sort((x, y) => y - x));
    const nameHit = hits.findIndex((h) => h.snippet.includes("里親") && h.node.__typename !== "Project");
    expect(nameHit).toBeGreaterThanOrEqual(0);
    for (const h of hits) expect(fold(h.snippet)).toContain("里親");
    const halfWidth = await search("ペアレント");
    expect(halfWidth.hits.some((h) => h.snippet.includes("ﾍﾟｱﾚﾝﾄ") || h.snippet.includes("ペアレント") || h.snippet.includes("ぺあれんと"))).toBe(true);
  });

  it("narrows by type and pages through hits with cursors", async () => {
    const all = await search("支援");
    const projectsOnly = await search("支援", ["PROJECT"]);
    expect(projectsOnly.hits.every((h) => h.node.__typename === "Project")).toBe(true);
    expect(projectsOnly.totalCount).toBe(all.hits.filter((h) => h.node.__typename === "Project").length);
    const paged: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 200; guard++) {
      const { body } = (await f.t.graphql(searchQuery, { q: "支援", first: 25, after })) as Json;
      paged.push(...body.data.search.edges.map((e: Json) => e.node.node.id));
      if (!body.data.search.pageInfo.hasNextPage) break;
      after = body.data.search.pageInfo.endCursor;
    }
    expect(paged).toEqual(all.hits.map((h) => h.node.id));
  });

  it("refuses single-character queries and tampered cursors with BAD_USER_INPUT", async () => {
    for (const q of ["子", "a 子", "   "]) {
      const { body } = (await f.t.graphql(searchQuery, { q })) as Json;
      expect(body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    }
    const { body } = (await f.t.graphql(searchQuery, { q: "支援", first: 1 })) as Json;
    const decoded = JSON.parse(Buffer.from(body.data.search.pageInfo.endCursor, "base64url").toString());
    const tampered = Buffer.from(JSON.stringify({ ...decoded, v: ["x", ...decoded.v.slice(1)] })).toString("base64url");
    const bad = (await f.t.graphql(searchQuery, { q: "支援", after: tampered })) as Json;
    expect(bad.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(bad.body.errors?.[0]?.message).toMatch(/not a valid cursor/);
  });
});

describe.each(engines())("the search plan on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind, { load: false });
    // Small on purpose: the planner weighs a sequential scan against the index, and a scan
    // only grows dearer with the table, so the index chosen at 2,000 rows is chosen beyond.
    await generateSyntheticProjects(t.database.db, { projects: 2_000 });
  }, 300_000);
  afterAll(() => t?.close());

  it("looks words up in the bigram GIN index, not by reading the table", async () => {
    t.database.statements.count = 0;
    t.database.statements.sql.length = 0;
    t.database.statements.parameters.length = 0;
    const { body } = (await t.graphql(`{ search(query: "里親 防止", first: 5) { totalCount nodes { score } } }`)) as Json;
    expect(body.errors).toBeUndefined();
    expect(body.data.search.totalCount).toBeGreaterThan(0);
    const index = t.database.statements.sql.findIndex((s) => s.includes("search_bigrams"));
    const plan = await t.database.db.executeQuery<{ "QUERY PLAN": string }>(
      CompiledQuery.raw(`explain ${t.database.statements.sql[index]}`, [...t.database.statements.parameters[index]!]),
    );
    const text = plan.rows.map((r) => r["QUERY PLAN"]).join("\n");
    expect(text).toMatch(/Bitmap Index Scan on project_search_idx/);
    expect(text).not.toMatch(/Seq Scan on project\b/);
  });
});
