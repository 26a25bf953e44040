// Query limits over HTTP: the cost model multiplies by first/last, every limit reports its
// value and the actual one, and no way of writing a query gets around them.
import { getIntrospectionQuery } from "graphql";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { defaultQueryLimits } from "../packages/server/src/graphql/query-limits.ts";
import { type Json, otherApp, startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";

const nested = (outer: number, inner: number) => `{ departments(first: ${outer}) { nodes { projects(first: ${inner}) { nodes { name } } } } }`;
// 100 departments × 100 projects × 100 usage figures: 1,010,100 objects.
const threeLevels = `departments(first: 100) { nodes { projects(first: 100) { nodes { usage(first: 100) { nodes { value } } } } } }`;

describe.each(engines())("query limits on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const post = (body: unknown) => t.post(body);
  const codeOf = (body: Json) => body.errors?.[0]?.extensions?.code;

  describe("cost model", () => {
    it("multiplies nested connections by first: 100 inside 100 is 10,000 nodes, plus the 100 outer ones", async () => {
      const { status, body } = await t.graphql(nested(100, 100));
      expect(status).toBe(200);
      expect(body.errors).toBeUndefined();
      expect(body.extensions?.cost).toEqual({ requestedQueryCost: 10_100, limit: 500_000 });
    });

    it("uses the default page size of 20 when first/last are absent, and last like first", async () => {
      expect((await t.graphql(`{ departments { nodes { projects { nodes { name } } } } }`)).body.extensions?.cost.requestedQueryCost).toBe(20 + 20 * 20);
      expect((await t.graphql(`{ departments(last: 3) { nodes { projects(last: 7) { nodes { name } } } } }`)).body.extensions?.cost.requestedQueryCost).toBe(
        3 + 3 * 7,
      );
    });

    it("counts single objects once per parent and reads first from variables", async () => {
      const { body } = await t.graphql(`query($n: Int) { projects(first: $n) { nodes { name department { name municipality { name } } } } }`, { n: 10 });
      expect(body.errors).toBeUndefined();
      expect(body.extensions?.cost.requestedQueryCost).toBe(10 + 10 * 2);
    });

    it("counts nodes(ids:) by the number of IDs asked for, and refuses more than 100", async () => {
      const { body: page } = await t.graphql(`{ departments(first: 3) { nodes { id } } }`);
      const ids = page.data.departments.nodes.map((d: Json) => d.id);
      const { body } = await t.graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids });
      expect(body.extensions?.cost.requestedQueryCost).toBe(3);
      const tooMany = await t.graphql(`query($ids: [ID!]!) { nodes(ids: $ids) { id } }`, { ids: Array.from({ length: 101 }, () => ids[0]) });
      expect(tooMany.body.errors?.[0]).toMatchObject({ extensions: { code: "BAD_USER_INPUT", argumentName: "ids" } });
    });

    it("refuses a request over the limit before running it, with the limit and the actual cost", async () => {
      t.database.statements.count = 0;
      const { status, body } = await t.graphql(`{ ${threeLevels} }`);
      expect(status).toBe(400);
      expect(body.data).toBeUndefined();
      expect(body.errors).toHaveLength(1);
      expect(body.errors![0]!.extensions).toMatchObject({ code: "COST_LIMIT_EXCEEDED", limit: 500_000, actual: 1_010_100 });
      expect(body.errors![0]!.message).toMatch(/lower first\/last/);
      expect(body.extensions?.cost).toEqual({ requestedQueryCost: 1_010_100, limit: 500_000 });
      expect(t.database.statements.count).toBe(0);
    });

    it("takes its limit from the options: exactly at the limit passes, one over fails", async () => {
      const strict = otherApp(t, { limits: { maxCost: 10_100 } });
      try {
        expect((await strict.graphql(nested(100, 100))).body.extensions?.cost).toEqual({ requestedQueryCost: 10_100, limit: 10_100 });
        const over = await strict.graphql(nested(100, 100).replace("first: 100) { nodes { name", "first: 100) { nodes { name source { page }"));
        expect(over.body.errors?.[0]?.extensions).toMatchObject({ code: "COST_LIMIT_EXCEEDED", limit: 10_100, actual: 20_100 });
      } finally {
        await strict.close();
      }
    });
  });

  describe("no bypass", () => {
    it("counts connections inside named fragments", async () => {
      const { body } = await t.graphql(`query { ...Everything } fragment Everything on Query { ${threeLevels} }`);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "COST_LIMIT_EXCEEDED", actual: 1_010_100 });
    });

    it("counts a fragment named __schema like any other (it is not introspection)", async () => {
      const { body } = await t.graphql(`query { ...__schema } fragment __schema on Query { ${threeLevels} }`);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "COST_LIMIT_EXCEEDED", actual: 1_010_100 });
      const deep = `query { ...__schema } fragment __schema on Query { projects(first: 1) { nodes { ${"parent { ".repeat(14)}name${" }".repeat(14)} } } }`;
      expect(codeOf((await t.graphql(deep)).body)).toBe("DEPTH_LIMIT_EXCEEDED");
    });

    it("counts connections inside inline fragments", async () => {
      const { body } = await t.graphql(
        `{ ... on Query { departments(first: 100) { nodes { ... on Department { projects(first: 100) { nodes { ... { usage(first: 100) { nodes { value } } } } } } } } } }`,
      );
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "COST_LIMIT_EXCEEDED", actual: 1_010_100 });
    });

    it("counts every alias of a connection: one fits, two do not", async () => {
      // Objects only (a nested totalCount would add its database work: query-cost.test.ts).
      const part = `departments(first: 100) { nodes { projects(first: 30) { nodes { usage(first: 100) { nodes { value } } } } } }`;
      const one = await t.graphql(`{ a: ${part} }`);
      expect(one.body.errors).toBeUndefined();
      expect(one.body.extensions?.cost.requestedQueryCost).toBe(303_100);
      const two = await t.graphql(`{ a: ${part} b: ${part} }`);
      expect(two.body.errors?.[0]?.extensions).toMatchObject({ code: "COST_LIMIT_EXCEEDED", actual: 606_200 });
    });

    it("refuses batches (arrays of operations), so a heavy query cannot be split across one request", async () => {
      const cheap = { query: nested(10, 10) };
      const { status, body } = await post([cheap, cheap]);
      expect(status).toBe(400);
      expect(codeOf(body)).toBe("BATCHING_NOT_SUPPORTED");
      expect(body.data).toBeUndefined();
    });

    it("prices introspection too: the standard query passes, a deep walk of the type graph does not", async () => {
      const standard = await t.graphql(getIntrospectionQuery());
      expect(standard.body.errors).toBeUndefined();
      expect(standard.body.extensions?.cost.requestedQueryCost).toBeGreaterThan(1_000);
      expect(standard.body.extensions?.cost.requestedQueryCost).toBeLessThan(500_000);
      // Within graphql-js's own MaxIntrospectionDepthRule (at most 2 nested "fields"), yet millions of objects.
      const walk = await t.graphql(`{ __schema { types { fields { args { type { fields { args { type { enumValues { name } } } } } } } } } }`);
      expect(walk.body.errors?.[0]?.extensions).toMatchObject({ code: "COST_LIMIT_EXCEEDED" });
      expect(walk.body.errors![0]!.extensions!.actual).toBeGreaterThan(500_000);
    });

    it("refuses fragment cycles and fragment bombs quickly, with a code", async () => {
      const cycle = await t.graphql(`query { ...A } fragment A on Query { ...B } fragment B on Query { ...A }`);
      expect(codeOf(cycle.body)).toBe("GRAPHQL_VALIDATION_FAILED");
      // Each fragment uses the next twice: 2^40 aliased fields once expanded.
      const levels = 40;
      const fragments = Array.from({ length: levels }, (_, i) =>
        i === levels - 1 ? `fragment F${i} on Query { a: __typename }` : `fragment F${i} on Query { ...F${i + 1} x${i}: __typename ...F${i + 1} }`,
      ).join(" ");
      const bomb = await t.graphql(`query { ...F0 } ${fragments}`);
      expect(bomb.body.errors?.[0]?.extensions).toMatchObject({ code: "ALIAS_LIMIT_EXCEEDED", limit: defaultQueryLimits.maxAliases });
      expect(bomb.body.errors![0]!.extensions!.actual).toBeGreaterThan(2 ** 39);
    });
  });

  describe("static limits", () => {
    const deepQuery = (parents: number) => `{ projects(first: 1) { nodes { ${"parent { ".repeat(parents)}name${" }".repeat(parents)} } } }`;

    it("limits depth, counting through fragments", async () => {
      expect((await t.graphql(deepQuery(12))).body.errors).toBeUndefined(); // depth 15
      const { status, body } = await t.graphql(deepQuery(13));
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "DEPTH_LIMIT_EXCEEDED", limit: 15, actual: 16 });
      const viaFragments = await t.graphql(
        `{ projects(first: 1) { nodes { ...P } } } fragment P on Project { parent { ...Q } } fragment Q on Project { ${"parent { ".repeat(12)}name${" }".repeat(12)} }`,
      );
      expect(viaFragments.body.errors?.[0]?.extensions).toMatchObject({ code: "DEPTH_LIMIT_EXCEEDED", actual: 16 });
    });

    it("limits aliases", async () => {
      const aliases = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: __typename`).join(" ")} }`;
      expect((await t.graphql(aliases(30))).body.errors).toBeUndefined();
      expect((await t.graphql(aliases(31))).body.errors?.[0]?.extensions).toMatchObject({ code: "ALIAS_LIMIT_EXCEEDED", limit: 30, actual: 31 });
    });

    it("limits directives", async () => {
      const directives = (n: number) => `{ ${Array.from({ length: n }, () => `__typename @include(if: true)`).join(" ")} }`;
      expect((await t.graphql(directives(50))).body.errors).toBeUndefined();
      expect((await t.graphql(directives(51))).body.errors?.[0]?.extensions).toMatchObject({ code: "DIRECTIVE_LIMIT_EXCEEDED", limit: 50, actual: 51 });
    });

    it("limits tokens while parsing", async () => {
      const { status, body } = await t.graphql(`{ ${"__typename ".repeat(5_000)}}`);
      expect(status).toBe(400);
      expect(body.errors?.[0]?.extensions).toMatchObject({ code: "TOKEN_LIMIT_EXCEEDED", limit: 5_000, actual: 5_002 });
    });

    it("takes every limit from the options", async () => {
      const strict = otherApp(t, { limits: { maxDepth: 3, maxAliases: 1, maxDirectives: 1, maxTokens: 20 } });
      try {
        expect(codeOf((await strict.graphql(`{ departments { nodes { municipality { name } } } }`)).body)).toBe("DEPTH_LIMIT_EXCEEDED");
        expect(codeOf((await strict.graphql(`{ a: __typename b: __typename }`)).body)).toBe("ALIAS_LIMIT_EXCEEDED");
        expect(codeOf((await strict.graphql(`{ __typename @skip(if: false) __typename @skip(if: false) }`)).body)).toBe("DIRECTIVE_LIMIT_EXCEEDED");
        expect(codeOf((await strict.graphql(`{ ${"__typename ".repeat(20)}}`)).body)).toBe("TOKEN_LIMIT_EXCEEDED");
      } finally {
        await strict.close();
      }
    });
  });

  describe("schema disclosure", () => {
    it("hides field suggestions outside development and shows them when asked", async () => {
      const { body } = await t.graphql(`{ department { name } }`);
      expect(codeOf(body)).toBe("GRAPHQL_VALIDATION_FAILED");
      expect(body.errors![0]!.message).toMatch(/^Cannot query field "department" on type "Query"\. Check the spelling/);
      expect(body.errors![0]!.message).not.toMatch(/Did you mean/);
      const dev = otherApp(t, { fieldSuggestions: true });
      try {
        expect((await dev.graphql(`{ department { name } }`)).body.errors![0]!.message).toMatch(/Did you mean "departments"/);
      } finally {
        await dev.close();
      }
    });

    it("keeps introspection on by default and turns it off when configured", async () => {
      expect((await t.graphql(`{ __schema { queryType { name } } }`)).body.data).toEqual({ __schema: { queryType: { name: "Query" } } });
      const closed = otherApp(t, { introspection: false });
      try {
        const { body } = await closed.graphql(`{ __schema { queryType { name } } }`);
        expect(codeOf(body)).toBe("GRAPHQL_VALIDATION_FAILED");
        expect((await closed.graphql(`{ __typename }`)).body.data).toEqual({ __typename: "Query" });
      } finally {
        await closed.close();
      }
    });
  });
});
