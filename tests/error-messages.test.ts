// The mistakes people make first in GraphiQL, and what the answer tells them to change. With
// field suggestions hidden (production), the message must still point the way.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";

describe.each(engines())("error messages for common mistakes on %s", (kind) => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp(kind);
  });
  afterAll(() => t?.close());

  const firstError = async (query: string, variables?: Record<string, unknown>) => {
    const { body } = await t.graphql(query, variables);
    expect(body.errors, query).toBeDefined();
    return { message: body.errors![0]!.message, code: body.errors![0]!.extensions?.code as string };
  };

  it("a field asked of a connection instead of its nodes says to select nodes", async () => {
    const { message, code } = await firstError(`{ municipality(code: "431001") { wards { name } } }`);
    expect(code).toBe("GRAPHQL_VALIDATION_FAILED");
    expect(message).toContain('Cannot query field "name" on type "MunicipalityWardsConnection".');
    expect(message).toContain("nodes { name }");
  });

  it("nodes asked of a single object says it is not a list", async () => {
    const { message } = await firstError(`{ projects(first: 1) { nodes { department { nodes { name } } } } }`);
    expect(message).toMatch(/"Department" is a single object, not a list: select its fields directly/);
  });

  it("a misspelt field points to the type's fields in the docs, without revealing suggestions", async () => {
    const { message } = await firstError(`{ departments { nodes { nam } } }`);
    expect(message).toMatch(/^Cannot query field "nam" on type "Department"\. Check the spelling against the fields of Department/);
    expect(message).not.toMatch(/Did you mean/);
  });

  it("a connection without a selection gets an example selection", async () => {
    const { message } = await firstError(`{ departments }`);
    expect(message).toContain("departments { totalCount nodes { id } }");
  });

  it("an unknown argument, input field or enum value points to the schema", async () => {
    expect((await firstError(`{ projects(filter: { text: "保育" }) { totalCount } }`)).message).toContain("Check the arguments of Query.projects");
    expect((await firstError(`{ projects(where: { fiscalYear: 2023 }) { totalCount } }`)).message).toContain("Check the fields of the input ProjectFilter");
    expect((await firstError(`{ projects(orderBy: [{ field: amount }]) { totalCount } }`)).message).toContain("Use one of the values of ProjectOrderField");
  });

  it("first above 100, a bad cursor and a malformed ID say what to send instead", async () => {
    const tooMany = await firstError(`{ projects(first: 500) { totalCount } }`);
    expect([tooMany.code, tooMany.message]).toEqual([
      "BAD_USER_INPUT",
      expect.stringMatching(/"first" is 500, above the maximum page size of 100; page with "after"/),
    ]);
    const cursor = await firstError(`{ projects(first: 5, after: "abc") { totalCount } }`);
    expect([cursor.code, cursor.message]).toEqual(["BAD_USER_INPUT", expect.stringMatching(/use a cursor this list returned/)]);
    const id = await firstError(`{ project(id: "abc") { name } }`);
    expect([id.code, id.message]).toEqual(["BAD_USER_INPUT", expect.stringMatching(/not a valid ID: use an `id` this API returned/)]);
  });

  it("the ID of another type names the type it belongs to", async () => {
    const { body } = await t.graphql(`{ departments(first: 1) { nodes { id } } }`);
    const departmentId = body.data.departments.nodes[0].id as string;
    const { message, code } = await firstError(`query($id: ID!) { project(id: $id) { name } }`, { id: departmentId });
    expect(code).toBe("BAD_USER_INPUT");
    expect(message).toBe(`"${departmentId}" is the ID of a Department, not of a Project: pass the \`id\` of a Project, or node(id:), which takes any type`);
  });
});
