import { sql } from "kysely";
import { describe, expect, it } from "vitest";
import { decodeCursor, encodeCursor, pageSize, type SortTerm } from "./pagination.ts";
import { QueryInputError } from "./query-input.ts";

const byAmount: SortTerm[] = [
  { expression: sql`amount`, direction: "desc", kind: "decimal", name: "amount" },
  { expression: sql`id`, direction: "desc", kind: "integer", name: "id" },
];
const byName: SortTerm[] = [
  { expression: sql`name`, direction: "asc", kind: "text", name: "name" },
  { expression: sql`id`, direction: "asc", kind: "integer", name: "id" },
];

const refusal = (work: () => unknown) => {
  try {
    work();
  } catch (error) {
    return error as QueryInputError;
  }
  throw new Error("expected a refusal");
};

describe("cursors", () => {
  it("round-trip the order values", () => {
    const cursor = encodeCursor(byAmount, ["29116098", "42"]);
    expect(decodeCursor(byAmount, cursor, "after")).toEqual(["29116098", "42"]);
  });

  it("are refused by another ordering, when altered or when not a cursor, naming the argument", () => {
    const cursor = encodeCursor(byAmount, ["10", "1"]);
    expect(refusal(() => decodeCursor(byName, cursor, "after")).message).toMatch(
      /"after" is not a valid cursor for this list \(it was made for a different ordering\)/,
    );
    const altered = Buffer.from(JSON.stringify({ o: "amount:desc,id:desc", v: ["10; drop table", 1] })).toString("base64url");
    expect(refusal(() => decodeCursor(byAmount, altered, "before"))).toMatchObject({ path: "before", message: expect.stringMatching(/altered/) });
    expect(refusal(() => decodeCursor(byAmount, "not a cursor!", "after"))).toBeInstanceOf(QueryInputError);
    expect(refusal(() => decodeCursor(byAmount, Buffer.from("[1]").toString("base64url"), "after")).message).toMatch(/different ordering/);
  });
});

describe("page sizes", () => {
  it("default to 20 forwards; last pages backwards", () => {
    expect(pageSize({})).toEqual({ size: 20, backward: false });
    expect(pageSize({ first: 0 })).toEqual({ size: 0, backward: false });
    expect(pageSize({ last: 7 })).toEqual({ size: 7, backward: true });
  });

  it("refuse negative, fractional, over-100 and first-with-last", () => {
    expect(refusal(() => pageSize({ first: -1 })).path).toBe("first");
    expect(refusal(() => pageSize({ last: 1.5 })).path).toBe("last");
    expect(refusal(() => pageSize({ first: 101 })).message).toMatch(/above the maximum page size of 100/);
    expect(refusal(() => pageSize({ first: 1, last: 1 })).message).toBe(`pass either "first" or "last", not both`);
  });
});
