// The cost model on the real schema: objects, plus the database work of searches, sums,
// counts and text filters, multiplied by the pages around them and by every alias.
import { getOperationAST, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from "../data/pagination.ts";
import { QueryCostCalculator } from "./query-cost.ts";
import { defaultQueryLimits, databaseWorkWeights as w } from "./query-limits.ts";
import { schema } from "./schema/index.ts";

const calculator = new QueryCostCalculator(schema, { defaultPageSize: DEFAULT_PAGE_SIZE, maxPageSize: MAX_PAGE_SIZE, databaseWork: w });
const objectsOnly = new QueryCostCalculator(schema, { defaultPageSize: DEFAULT_PAGE_SIZE, maxPageSize: MAX_PAGE_SIZE });

function cost(query: string, variables: Record<string, unknown> = {}, using = calculator): number {
  const document = parse(query);
  return using.operationCost(document, getOperationAST(document)!, variables);
}

describe("database work in the cost", () => {
  it("prices a search by its work, not by its 20 hits", () => {
    expect(cost(`{ search(query: "支援") { nodes { score } } }`)).toBe(20 + w.fields["Query.search"]!);
    expect(cost(`{ search(query: "支援") { nodes { score } } }`, {}, objectsOnly)).toBe(20);
  });

  it("multiplies it by every alias: thirty searches are refused, a few are not", () => {
    const aliases = (n: number) =>
      `{ ${Array.from({ length: n }, (_, i) => `s${i}: search(query: "支援", first: 100) { totalCount nodes { score } }`).join(" ")} }`;
    const one = 100 + w.fields["Query.search"]! + w.rootTotalCount.QuerySearchConnection!;
    expect(cost(aliases(30))).toBe(30 * one);
    expect(cost(aliases(30))).toBeGreaterThan(defaultQueryLimits.maxCost);
    expect(cost(aliases(5))).toBeLessThan(defaultQueryLimits.maxCost);
  });

  it("adds the root aggregate, spending, usage totals and a root totalCount once each", () => {
    expect(cost("{ projects(first: 1) { aggregate { count } } }")).toBe(1 + w.fields["QueryProjectsConnection.aggregate"]!);
    expect(cost("{ projects(first: 1) { totalCount } }")).toBe(1 + w.rootTotalCount.QueryProjectsConnection!);
    // Counting a reference table costs nothing beyond its objects.
    expect(cost("{ departments(first: 2) { totalCount } }")).toBe(2);
    expect(cost("{ spending(groupBy: [DEPARTMENT], first: 5) { nodes { count } } }")).toBe(5 + w.fields["Query.spending"]!);
    expect(cost("{ usageTotals(groupBy: [METRIC], first: 5) { nodes { count } } }")).toBe(5 + w.fields["Query.usageTotals"]!);
  });

  it("prices text filters wherever they sit, variables included", () => {
    expect(cost(`{ projects(first: 1, where: { text: "保育" }) { nodes { name } } }`)).toBe(1 + w.textFilter);
    expect(cost(`query($w: ProjectFilter) { projects(first: 1, where: $w) { nodes { name } } }`, { w: { text: "保育" } })).toBe(1 + w.textFilter);
    expect(cost(`query($w: ProjectFilter) { projects(first: 1, where: $w) { nodes { name } } }`, { w: { text: null } })).toBe(1);
    expect(cost(`{ usageTotals(groupBy: [METRIC], first: 1, where: { projects: { text: "保育" } }) { nodes { count } } }`)).toBe(
      1 + w.fields["Query.usageTotals"]! + w.textFilter,
    );
  });

  it("multiplies nested work by the parents: per-department counts and sums, per-project series", () => {
    expect(cost("{ departments(first: 10) { nodes { projects(first: 2) { totalCount aggregate { count } } } } }")).toBe(
      10 + 10 * (2 + w.nestedTotalCount + w.fieldNames.aggregate!),
    );
    expect(cost("{ projects(first: 10) { nodes { series { fiscalYear } } } }")).toBe(10 + 10 * (w.fields["Project.series"]! + 100));
  });

  it("counts work inside fragments like any selection", () => {
    const query = `{ a: search(query: "保育") { ...hits } b: search(query: "里親") { ...hits } } fragment hits on QuerySearchConnection { totalCount nodes { score } }`;
    expect(cost(query)).toBe(2 * (20 + w.fields["Query.search"]! + w.rootTotalCount.QuerySearchConnection!));
  });

  it("admits GraphiQL's showcase query", async () => {
    const { exampleQuery } = await import("../yoga.ts");
    expect(cost(exampleQuery)).toBeLessThan(defaultQueryLimits.maxCost);
  });
});
