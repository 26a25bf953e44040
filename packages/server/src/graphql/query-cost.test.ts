import { getOperationAST, parse } from "graphql";
import { describe, expect, it } from "vitest";
import { QueryCostCalculator } from "./query-cost.ts";
import { schema } from "./schema/index.ts";

const calculator = new QueryCostCalculator(schema, { defaultPageSize: 20, maxPageSize: 100 });

function cost(query: string, variables: Record<string, unknown> = {}): number {
  const document = parse(query);
  const operation = getOperationAST(document);
  if (!operation) throw new Error("no operation");
  return calculator.operationCost(document, operation, variables);
}

describe("the query cost model", () => {
  it("prices a connection at its page size, 20 when none is given", () => {
    expect(cost("{ departments(first: 7) { nodes { name } } }")).toBe(7);
    expect(cost("{ departments { nodes { name } } }")).toBe(20);
    expect(cost("{ departments(last: 3) { totalCount } }")).toBe(3);
  });

  it("multiplies nested connections by the sizes around them", () => {
    expect(cost("{ departments(first: 100) { nodes { projects(first: 100) { nodes { name } } } } }")).toBe(100 + 100 * 100);
    expect(cost("{ departments { nodes { projects { nodes { name } } } } }")).toBe(20 + 20 * 20);
  });

  it("reads page sizes from variables", () => {
    expect(cost("query($n: Int) { departments(first: $n) { nodes { name } } }", { n: 9 })).toBe(9);
  });

  it("walks fragments, inline fragments and aliases like any selection", () => {
    const viaFragment = cost(`{ a: departments(first: 10) { ...D } b: departments(first: 5) { ...D } }
      fragment D on QueryDepartmentsConnection { nodes { projects(first: 2) { nodes { name } } } }`);
    expect(viaFragment).toBe(10 + 10 * 2 + 5 + 5 * 2);
    expect(cost("{ departments(first: 4) { ... on QueryDepartmentsConnection { nodes { name } } } }")).toBe(4);
  });

  it("does not explode on fragments that spread each other many times", () => {
    const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Department { name ${i < 29 ? `...F${i + 1} ...F${i + 1}` : ""} }`).join("\n");
    expect(cost(`{ departments(first: 1) { nodes { ...F0 } } }\n${fragments}`)).toBe(1);
  });
});
