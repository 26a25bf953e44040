// The graph end to end over HTTP (yoga.fetch), on real PostgreSQL and on PGlite.
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadDataset } from "../packages/server/src/import/load.ts";
import { type Json, startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";

const { dataset } = loadDataset(path.join(import.meta.dirname, "../data"));
const bundle = dataset.bundles[0]!;
const fileDepartments = bundle.departments.map((d) => d.data);

describe.each(engines())("the graph on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    // These tests read whole relations with deliberately over-sized pages (100 × 100 × 100);
    // the cost limit that refuses such queries in production is tested in limits.test.ts.
    t = await startTestApp(kind, { app: { limits: { maxCost: Number.MAX_SAFE_INTEGER } } });
  });
  afterAll(() => t?.close());

  it("lists every department in report order with its projects and amounts as in the data files", async () => {
    const { status, body } = await t.graphql(`{
      departments(first: 100) {
        totalCount
        nodes { name nameEn municipality { code name } projects(first: 100) { totalCount nodes { name amountThousandYen parent { name } } } }
      }
    }`);
    expect(status).toBe(200);
    expect(body.errors).toBeUndefined();
    const departments = body.data.departments;
    expect(departments.totalCount).toBe(fileDepartments.length);
    expect(departments.nodes.map((d: Json) => d.name)).toEqual(fileDepartments.map((d) => d.department.nameJa));
    for (const [i, d] of departments.nodes.entries()) {
      const file = fileDepartments[i]!;
      expect(d.municipality).toEqual({ code: "431001", name: "熊本市" });
      const expected = file.projects.flatMap((p) => [
        { name: p.nameJa, amountThousandYen: p.amountThousandYen === null ? null : String(p.amountThousandYen), parent: null },
        ...(p.lineItems ?? []).map((item) => ({
          name: item.nameJa,
          amountThousandYen: item.amountThousandYen === null ? null : String(item.amountThousandYen),
          parent: { name: p.nameJa },
        })),
      ]);
      expect(d.projects.totalCount).toBe(expected.length);
      expect(d.projects.nodes).toEqual(expected);
    }
  });

  it("walks project → beneficiaries, usage, source and back", async () => {
    const { body } = await t.graphql(`{
      departments(first: 100) { nodes { name projects(first: 100) { nodes {
        id name source { page document { title pageCount fiscalYear { year eraLabel } } }
        beneficiaries(first: 100) { totalCount nodes { value unit label group { name projects(first: 1) { totalCount } } project { name } } }
        usage(first: 100) { totalCount nodes { label value unit ward { name } fiscalYear { year } project { id } } }
      } } } }
    }`);
    expect(body.errors).toBeUndefined();
    const protection = body.data.departments.nodes.find((d: Json) => d.name === "保護管理援護課");
    const audit = protection.projects.nodes.find((p: Json) => p.name.startsWith("生活保護法施行事務監査"));
    expect(audit.source.page).toBe(3);
    expect(audit.source.document).toEqual({
      title: "令和5年度主要事業実績 福祉関係主要事業報告",
      pageCount: 29,
      fiscalYear: { year: 2023, eraLabel: "令和5年度" },
    });
    const households = audit.beneficiaries.nodes.filter((b: Json) => b.label === "被保護世帯" && b.unit === "HOUSEHOLDS");
    expect(households.map((b: Json) => b.value).sort()).toEqual(["12031", "1258", "1821", "1938", "2919", "4095"]);
    expect(households[0].project.name).toBe(audit.name);
    expect(households[0].group.projects.totalCount).toBeGreaterThan(0);
    for (const p of protection.projects.nodes) for (const u of p.usage.nodes) expect(u.project.id).toBe(p.id);
  });

  it("serves ward usage and the municipality's wards", async () => {
    const { body } = await t.graphql(`{
      municipalities(first: 10) { totalCount nodes { code code5 name nameEn prefecture wards(first: 10) { totalCount nodes { code name beneficiaries(first: 100) { totalCount nodes { value } } usage(first: 100) { totalCount } } } } }
    }`);
    expect(body.errors).toBeUndefined();
    const [kumamoto] = body.data.municipalities.nodes;
    expect(kumamoto).toMatchObject({ code: "431001", code5: "43100", name: "熊本市", nameEn: "Kumamoto City", prefecture: "熊本県" });
    expect(kumamoto.wards.nodes.map((w: Json) => w.name)).toEqual(["中央区", "東区", "西区", "南区", "北区"]);
    const chuo = kumamoto.wards.nodes[0];
    expect(chuo.beneficiaries.nodes.map((b: Json) => b.value)).toContain("4095");
  });

  it("pages forwards and backwards with cursors and totals", async () => {
    const all = await t.graphql(`{ projects(first: 100) { totalCount nodes { id } } }`);
    const ids: string[] = all.body.data.projects.nodes.map((n: Json) => n.id);
    const total = all.body.data.projects.totalCount;
    expect(ids.length).toBe(Math.min(total, 100));

    const seen: string[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 50; guard++) {
      const page: Json = await t.graphql(
        `query($after: String) { projects(first: 7, after: $after) { totalCount edges { cursor node { id } } pageInfo { hasNextPage hasPreviousPage endCursor startCursor } } }`,
        { after },
      );
      const conn = page.body.data.projects;
      expect(conn.totalCount).toBe(total);
      seen.push(...conn.edges.map((e: Json) => e.node.id));
      expect(conn.pageInfo.hasPreviousPage).toBe(after !== null);
      if (!conn.pageInfo.hasNextPage) break;
      after = conn.pageInfo.endCursor;
    }
    expect(seen).toEqual(ids.slice(0, seen.length));
    expect(seen.length).toBe(total);

    const last = await t.graphql(`{ projects(last: 5) { edges { cursor node { id } } pageInfo { hasPreviousPage hasNextPage startCursor } } }`);
    const lastIds = last.body.data.projects.edges.map((e: Json) => e.node.id);
    expect(lastIds).toEqual(seen.slice(-5));
    expect(last.body.data.projects.pageInfo.hasPreviousPage).toBe(true);
    const before = await t.graphql(`query($before: String) { projects(last: 5, before: $before) { nodes { id } } }`, {
      before: last.body.data.projects.pageInfo.startCursor,
    });
    expect(before.body.data.projects.nodes.map((n: Json) => n.id)).toEqual(seen.slice(-10, -5));

    const pastEnd = await t.graphql(`query($after: String) { projects(first: 5, after: $after) { totalCount nodes { id } pageInfo { hasNextPage } } }`, {
      after: last.body.data.projects.edges.at(-1).cursor,
    });
    expect(pastEnd.body.data.projects).toEqual({ totalCount: total, nodes: [], pageInfo: { hasNextPage: false } });
  });

  it("refuses page sizes over 100 and tampered cursors with BAD_USER_INPUT", async () => {
    const big = await t.graphql(`{ projects(first: 101) { nodes { id } } }`);
    expect(big.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(big.body.errors?.[0]?.message).toMatch(/maximum page size of 100/);
    const nested = await t.graphql(`{ departments(first: 1) { nodes { projects(last: 500) { nodes { id } } } } }`);
    expect(nested.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const tampered = await t.graphql(`{ projects(first: 2, after: "bm90LWEtY3Vyc29y") { nodes { id } } }`);
    expect(tampered.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" } });
    expect(tampered.body.errors?.[0]?.message).toMatch(/not a valid cursor/);
    const otherOrder = await t.graphql(`{ departments(first: 1) { pageInfo { endCursor } } }`);
    const foreign = await t.graphql(`query($after: String) { projects(first: 2, after: $after) { nodes { id } } }`, {
      after: otherOrder.body.data.departments.pageInfo.endCursor,
    });
    expect(foreign.body.errors?.[0]?.message).toMatch(/different ordering/);
  });

  it("refuses cursors altered to values the database cannot compare (out of range, NUL) with BAD_USER_INPUT, not an internal error", async () => {
    // Take a real cursor of each list and change one value to what its column type cannot hold.
    const alter = (cursor: string, index: number, value: unknown) => {
      const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString());
      decoded.v[index] = value;
      return Buffer.from(JSON.stringify(decoded)).toString("base64url");
    };
    const lists = [
      [
        "root projects, fiscal year out of int4 range",
        `query($after: String) { projects(first: 2, after: $after) { pageInfo { endCursor } nodes { id } } }`,
        1,
        "-9999999999999999999",
      ],
      [
        "root projects by amount, beyond int8",
        `query($after: String) { projects(first: 2, after: $after, orderBy: [{field: AMOUNT, direction: DESC}]) { pageInfo { endCursor } nodes { id } } }`,
        0,
        "9999999999999999999",
      ],
      [
        "root projects by name, NUL in text",
        `query($after: String) { projects(first: 2, after: $after, orderBy: [{field: NAME}]) { pageInfo { endCursor } nodes { id } } }`,
        0,
        "a\u0000b",
      ],
      [
        "a department's projects, sort order out of int4 range",
        `query($after: String) { departments(first: 1) { nodes { projects(first: 2, after: $after) { pageInfo { endCursor } nodes { id } } } } }`,
        3,
        "99999999999",
      ],
      [
        "spending buckets, year out of int4 range",
        `query($after: String) { spending(groupBy: [FISCAL_YEAR], first: 1, after: $after) { pageInfo { endCursor } nodes { count } } }`,
        1,
        "99999999999",
      ],
    ] as const;
    for (const [name, query, index, value] of lists) {
      const first = await t.graphql(query);
      const page = first.body.data.projects ?? first.body.data.spending ?? first.body.data.departments.nodes[0].projects;
      const altered = await t.graphql(query, { after: alter(page.pageInfo.endCursor, index, value) });
      expect(altered.body.errors?.[0]?.extensions?.code, name).toBe("BAD_USER_INPUT");
      expect(altered.body.errors?.[0]?.message, name).toMatch(/not a valid cursor .*altered/);
    }
    expect(t.loggedErrors).toEqual([]);
  });

  it("looks up nodes by global ID, with null for missing or malformed IDs", async () => {
    const { body } = await t.graphql(`{ departments(first: 2) { nodes { id name } } projects(first: 2) { nodes { id name } } }`);
    const department = body.data.departments.nodes[0];
    const project = body.data.projects.nodes[1];
    const one = await t.graphql(`query($id: ID!) { node(id: $id) { id __typename ... on Department { name } } }`, { id: department.id });
    expect(one.body.data.node).toEqual({ id: department.id, __typename: "Department", name: department.name });
    const missing = Buffer.from("Project:431001:999999999").toString("base64");
    const many = await t.graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { id ... on Project { name } ... on Department { name } } }`, {
      ids: [project.id, missing, department.id],
    });
    expect(many.body.errors).toBeUndefined();
    expect(many.body.data.nodes).toEqual([{ id: project.id, name: project.name }, null, { id: department.id, name: department.name }]);
    const typed = await t.graphql(`query($id: ID!) { project(id: $id) { name } }`, { id: project.id });
    expect(typed.body.data.project).toEqual({ name: project.name });
    const absent = await t.graphql(`query($id: ID!) { project(id: $id) { name } }`, { id: missing });
    expect(absent.body.data.project).toBeNull();
  });

  it("refuses malformed IDs, IDs of the wrong type and oversized lookups with BAD_USER_INPUT", async () => {
    const malformed = await t.graphql(`{ node(id: "abc") { id } }`);
    expect(malformed.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT" }, path: ["node"] });
    expect(malformed.body.errors?.[0]?.message).toMatch(/not a valid ID/);
    const { body } = await t.graphql(`{ departments(first: 1) { nodes { id } } }`);
    const wrongType = await t.graphql(`query($id: ID!) { project(id: $id) { name } }`, { id: body.data.departments.nodes[0].id });
    expect(wrongType.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    const ids = Array.from({ length: 101 }, (_, i) => Buffer.from(`Project:431001:${i + 1}`).toString("base64"));
    const tooMany = await t.graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
    expect(tooMany.body.errors?.[0]?.extensions?.code).toBe("BAD_USER_INPUT");
    expect(tooMany.body.errors?.[0]?.message).toMatch(/at most 100/);
    const hundred = await t.graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: ids.slice(0, 100) });
    expect(hundred.body.errors).toBeUndefined();
    expect(hundred.body.data.nodes).toHaveLength(100);
  });

  it("counts the whole filtered list only when totalCount is asked for (root projects)", async () => {
    const page = async (selection: string) => {
      t.database.statements.sql.length = 0;
      const fragment = selection === "...Total" ? "fragment Total on QueryProjectsConnection { totalCount } " : "";
      const { body } = await t.graphql(`${fragment}{ projects(first: 5) { ${selection} nodes { id } } }`);
      expect(body.errors).toBeUndefined();
      return { body, counted: t.database.statements.sql.some((statement) => /count\(\*\)/i.test(statement)) };
    };
    const without = await page("");
    const withTotal = await page("totalCount");
    const throughFragment = await page("...Total");
    expect(without.counted).toBe(false);
    expect(withTotal.counted).toBe(true);
    expect(throughFragment.counted).toBe(true);
    expect(without.body.data.projects.nodes).toEqual(withTotal.body.data.projects.nodes);
    expect(throughFragment.body.data.projects.totalCount).toBe(withTotal.body.data.projects.totalCount);
    expect(withTotal.body.data.projects.totalCount).toBeGreaterThan(5);
  });

  it("keeps the number of SQL statements tied to query depth, not to the number of rows", async () => {
    const query = (n: number) => `{
      departments(first: ${n}) { nodes { name municipality { name } projects(first: ${n}) { nodes {
        name department { name } parent { name } fiscalYear { year } source { page document { title } }
        lineItems(first: 5) { nodes { name } }
        beneficiaries(first: ${n}) { nodes { value group { name } ward { name } } }
        usage(first: ${n}) { nodes { value ward { name } fiscalYear { year } } }
      } } } }
    }`;
    const count = async (n: number) => {
      t.database.statements.count = 0;
      const { body } = await t.graphql(query(n));
      expect(body.errors).toBeUndefined();
      return t.database.statements.count;
    };
    const fewer = await count(30);
    const large = await count(100);
    expect(large).toBe(fewer);
    // One statement per relation level: departments, municipality, projects, department,
    // parent, fiscal year, document, line items, beneficiaries, groups, wards, usage.
    expect(large).toBeLessThanOrEqual(14);
  });
});
