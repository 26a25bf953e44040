// The selection planner (graphql/plan) answers exactly what the batched loaders answer: the
// same app with the planner off is the reference, on the same database, for selections of
// every shape (fragments, aliases, skip/include, cursors both ways, orderings, filters, counts,
// aggregates, errors), and the planned nested page is one SQL statement.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type App, createApp } from "../packages/server/src/yoga.ts";
import { postGraphQL, startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";

const nestedPage = `{
  departments(first: 20) { nodes { name projects(first: 20) { nodes { name amountThousandYen usage(first: 10) { nodes { label value } } } } } }
}`;

const projectFields = `fragment ProjectFields on Project {
  id seriesKey name nameEn description descriptionEn amountThousandYen amountYen amountNote flags
  fiscalYear { year } municipality { code } source { page document { title } } parent { name }
}`;

const selections: Array<[string, string, Record<string, unknown>?]> = [
  ["the nested page of the benchmark", nestedPage],
  [
    "aliases, fragments, inline fragments, typenames, cursors and page info at every level",
    `${projectFields}
    fragment Dept on Department { id slug name nameEn municipality { name } }
    {
      departments(first: 4) {
        __typename totalCount
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor }
        edges { cursor node { ...Dept ... on Node { id }
          first: projects(first: 2) { totalCount pageInfo { hasNextPage endCursor } nodes { ...ProjectFields } }
          last: projects(last: 2, orderBy: [{ field: AMOUNT, direction: DESC }]) {
            pageInfo { hasPreviousPage hasNextPage startCursor endCursor }
            edges { cursor node { __typename ...ProjectFields
              usage(first: 3) { totalCount edges { cursor node { id label labelEn metric category value unit unitName unitNameEn isTotal asOf note fiscalYear { year } ward { name } project { name } source { page } } } }
            } }
          }
        } }
      }
    }`,
  ],
  [
    "@skip and @include from variables",
    `query($withUsage: Boolean!, $skipNames: Boolean!) {
      departments(first: 3) { nodes {
        name @skip(if: $skipNames)
        projects(first: 3) { nodes { name @skip(if: $skipNames) id usage(first: 2) @include(if: $withUsage) { nodes { value } } } }
      } }
    }`,
    { withUsage: false, skipNames: true },
  ],
  [
    "root projects filtered and ordered, with totals, aggregate and figures ordered and filtered",
    `{
      projects(first: 7, where: { hasAmount: true, isLineItem: false }, orderBy: [{ field: FISCAL_YEAR, direction: DESC }, { field: NAME }]) {
        totalCount
        aggregate { count sum { amountThousandYen amountYen } avg { amountThousandYen } max { amountYen } }
        pageInfo { hasNextPage endCursor }
        nodes {
          name amountThousandYen
          department { name projects(first: 2, where: { hasAmount: true }) { totalCount aggregate { count sum { amountThousandYen } } nodes { name } } }
          beneficiaries(first: 5, orderBy: [{ field: VALUE, direction: DESC }]) { totalCount nodes { label value unit group { name slug } } }
          usage(first: 4, where: { isTotal: false }) { nodes { label value } }
          lineItems(first: 3) { totalCount nodes { name } }
        }
      }
    }`,
  ],
  [
    "one project with everything, and a missing one",
    `${projectFields}
    query($id: ID!, $missing: ID!) {
      project(id: $id) { ...ProjectFields department { name slug projects(first: 3) { nodes { name } } }
        usage(last: 4) { pageInfo { hasPreviousPage startCursor } nodes { label value } }
        beneficiaries { totalCount nodes { label value group { name } } }
        lineItems { nodes { name } }
      }
      gone: project(id: $missing) { name }
    }`,
    { id: Buffer.from("Project:431001:75").toString("base64"), missing: Buffer.from("Project:431001:999999").toString("base64") },
  ],
  [
    "the same response key with different arguments under nodes and edges.node",
    `{ departments(first: 3) { nodes { p: projects(first: 1) { totalCount nodes { name } } } edges { node { p: projects(first: 2) { nodes { name } } } } } }`,
  ],
  [
    "a municipality with its departments' nested page, and an unknown code",
    `{
      municipality(code: "431001") { id code code5 name nameEn prefecture wards(first: 2) { nodes { name } }
        departments(first: 3, after: null) { totalCount pageInfo { hasNextPage endCursor } nodes { name projects(first: 2) { nodes { name usage(first: 2) { nodes { value } } } } } } }
      nowhere: municipality(code: "999999") { name }
    }`,
  ],
  ["a page of nothing but counts", `{ departments(first: 2) { totalCount nodes { projects(first: 0) { totalCount nodes { name } } } } }`],
  ["a nested page size above the maximum (the error at its own path)", `{ departments(first: 2) { nodes { name projects(first: 101) { nodes { name } } } } }`],
  ["a nested cursor that is not one", `{ departments(first: 2) { nodes { name projects(after: "bm90LWEtY3Vyc29y") { nodes { name } } } } }`],
  [
    "a nested filter that is refused",
    `{ departments(first: 2) { nodes { name projects(where: { amountThousandYen: { gte: "5", lte: "1" } }) { nodes { name } } } } }`,
  ],
  ["a root page size above the maximum", `{ projects(first: 101) { nodes { name } } }`],
  ["a root page of no columns (only pageInfo)", `{ projects(first: 3) { pageInfo { hasNextPage hasPreviousPage } } }`],
  [
    "a root page with cursors and every kind of column (text, numbers, arrays, nested lists)",
    `{ projects(first: 5, orderBy: [{ field: AMOUNT, direction: DESC }]) { edges { cursor node { name fiscalYear { year } amountThousandYen amountYen flags source { page } usage(first: 2) { nodes { value } } } } pageInfo { endCursor hasNextPage } } }`,
  ],
];

/** Error ids differ per request by design; everything else must match. */
function withoutRequestIds<T extends { errors?: Array<{ extensions?: Record<string, unknown> }> }>(body: T): T {
  for (const error of body.errors ?? []) delete error.extensions?.requestId;
  return body;
}

describe.each(engines())("the selection planner on %s", (kind) => {
  let t: TestApp;
  let unplanned: App;
  beforeAll(async () => {
    t = await startTestApp(kind, { app: { limits: { maxCost: Number.MAX_SAFE_INTEGER } } });
    unplanned = createApp({ database: t.database, selectionPlanner: false, limits: { maxCost: Number.MAX_SAFE_INTEGER } });
  });
  afterAll(() => t?.close());

  const both = async (query: string, variables?: Record<string, unknown>) => {
    const planned = await t.graphql(query, variables);
    const reference = await postGraphQL(unplanned, { query, variables });
    return { planned: withoutRequestIds(planned.body), reference: withoutRequestIds(reference.body) };
  };

  it.each(selections)("answers %s exactly as the loaders do", async (_name, query, variables) => {
    const { planned, reference } = await both(query, variables);
    expect(planned).toEqual(reference);
    // Every case but the error cases returns data.
    if (!reference.errors) expect(reference.data).toBeTruthy();
  });

  it("pages forwards and backwards through a nested list with the cursors the loaders make", async () => {
    const query = `query($after: String, $before: String, $first: Int, $last: Int) {
      departments(first: 1) { nodes { projects(first: $first, after: $after, last: $last, before: $before, orderBy: [{ field: AMOUNT, direction: DESC }]) {
        pageInfo { hasNextPage hasPreviousPage startCursor endCursor } edges { cursor node { name amountThousandYen } } } } }
    }`;
    const first = await both(query, { first: 2 });
    expect(first.planned).toEqual(first.reference);
    const page = first.planned.data.departments.nodes[0].projects;
    expect(page.edges).toHaveLength(2);
    const next = await both(query, { first: 2, after: page.pageInfo.endCursor });
    expect(next.planned).toEqual(next.reference);
    const back = await both(query, { last: 1, before: next.planned.data.departments.nodes[0].projects.pageInfo.startCursor });
    expect(back.planned).toEqual(back.reference);
    expect(back.planned.data.departments.nodes[0].projects.edges[0].node).toEqual(page.edges[1].node);
  });

  it("loads the nested page in one statement, where the loaders need one per level", async () => {
    const count = async (run: () => Promise<unknown>) => {
      t.database.statements.count = 0;
      await run();
      return t.database.statements.count;
    };
    expect(await count(() => t.graphql(nestedPage))).toBe(1);
    expect(await count(() => postGraphQL(unplanned, { query: nestedPage }))).toBe(3);
    // Fields the planner leaves to their loaders add one statement per level, not per row.
    const mixed = `{ departments(first: 20) { nodes { municipality { name } projects(first: 20) { nodes { fiscalYear { year } usage(first: 10) { nodes { value } } } } } } }`;
    expect(await count(() => t.graphql(mixed))).toBe(3);
  });

  it("sends text through every level exactly as stored: quotes, backslashes, braces, commas, NULL, blanks, controls, emoji", async () => {
    // Rows travel as text arrays inside JSON inside JSON: each level escapes the one below.
    const tricky = ['q"uo"te', "back\\slash\\", '{"a":[1,2]}', "NULL", " ", "line\nbreak\ttab\r", "null", 'x\\"y{z},', "🙂 é 合成 ｶﾞ"];
    const db = t.database.db;
    const department = await sql<{
      municipality_code: string;
      id: string;
    }>`select municipality_code, id from department order by municipality_code, sort_order, id limit 1`.execute(db);
    const { municipality_code: code, id } = department.rows[0] as { municipality_code: string; id: string };
    await sql`update department set name_ja = ${tricky.join("")} where municipality_code = ${code} and id = ${id}`.execute(db);
    await sql`update project set name_ja = (${sql.val(tricky)}::text[])[1 + id % ${tricky.length}], amount_note = (${sql.val(tricky)}::text[])[1 + (id + 1) % ${tricky.length}]
      where municipality_code = ${code} and department_id = ${id}`.execute(db);
    await sql`update usage_figure set label_ja = (${sql.val(tricky)}::text[])[1 + id % ${tricky.length}], note_ja = (${sql.val(tricky)}::text[])[1 + (id + 2) % ${tricky.length}]
      where municipality_code = ${code} and project_id in (select id from project where municipality_code = ${code} and department_id = ${id})`.execute(db);
    const query = `{ departments(first: 1) { nodes { name projects(first: 20) { totalCount nodes { name amountNote usage(first: 50) { nodes { label note } } } } } } }`;
    const { planned, reference } = await both(query);
    expect(planned).toEqual(reference);
    const answer = planned.data.departments.nodes[0];
    expect(answer.name).toBe(tricky.join(""));
    const texts = answer.projects.nodes.flatMap(
      (p: { name: string; amountNote: string | null; usage: { nodes: Array<{ label: string; note: string | null }> } }) => [
        p.name,
        p.amountNote,
        ...p.usage.nodes.flatMap((u) => [u.label, u.note]),
      ],
    );
    expect(texts.length).toBeGreaterThan(tricky.length);
    expect(new Set(texts)).toEqual(new Set(tricky));
  });
});
