// Filters and orderings of project lists, against expectations computed in JavaScript from
// the data files and from a generated larger dataset, on PostgreSQL and PGlite.
import { CompiledQuery, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Json } from "./support/app.ts";
import { engines } from "./support/databases.ts";
import { compareText, type FlatProject, id, textMatches } from "./support/expectations.ts";
import { allProjects, type DatasetName, nodeId, type QueryFixture, startQueryFixture } from "./support/query-fixture.ts";

const datasets: DatasetName[] = ["data files", "generated"];
const cases = engines().flatMap((kind) => datasets.map((dataset) => [kind, dataset] as const));

/** The most frequent value, so that a filter on it is neither empty nor everything. */
function common<T>(values: T[]): T {
  const counts = new Map<T, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1])[0]![0];
}

describe.each(cases)("project filters and orderings on %s with the %s", (kind, dataset) => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await startQueryFixture(kind, dataset);
  });
  afterAll(() => f?.close());

  const expectFiltered = async (where: Record<string, unknown>, keep: (p: FlatProject) => boolean) => {
    const { nodes, totalCount } = await allProjects(f.t, { where });
    const expected = f.projects.filter(keep).map(id);
    expect(expected.length, "the filter case must select something").toBeGreaterThan(0);
    expect(expected.length, "the filter case must leave something out").toBeLessThan(f.projects.length);
    expect(totalCount).toBe(expected.length);
    expect(nodes.map(nodeId).sort()).toEqual(expected.sort());
  };

  it("filters by municipality, fiscal year and department", async () => {
    const municipality = f.projects.at(-1)!.municipalityCode;
    const years = [...new Set(f.projects.map((p) => p.fiscalYear))];
    if (years.length > 1) await expectFiltered({ fiscalYears: [years[1]] }, (p) => p.fiscalYear === years[1]);
    else await expectFiltered({ fiscalYears: [years[0]], hasAmount: true }, (p) => p.fiscalYear === years[0] && p.amount !== null);
    if (new Set(f.projects.map((p) => p.municipalityCode)).size > 1)
      await expectFiltered({ municipalityCodes: [municipality] }, (p) => p.municipalityCode === municipality);
    const departments = [...new Set(f.projects.map((p) => p.departmentSlug))].slice(1, 3);
    await expectFiltered(
      { departmentIds: departments.map((slug) => f.departmentIds.get(`${municipality}/${slug}`)) },
      (p) => p.municipalityCode === municipality && departments.includes(p.departmentSlug),
    );
  });

  it("filters by amount range and by a missing amount", async () => {
    const amounts = f.projects.flatMap((p) => (p.amount === null ? [] : [p.amount])).sort((a, b) => (a < b ? -1 : 1));
    const gte = amounts[Math.floor(amounts.length / 4)]!;
    const lte = amounts[Math.floor((amounts.length * 3) / 4)]!;
    await expectFiltered({ amountThousandYen: { gte: String(gte), lte: String(lte) } }, (p) => p.amount !== null && p.amount >= gte && p.amount <= lte);
    await expectFiltered({ amountThousandYen: { gte: String(lte) } }, (p) => p.amount !== null && p.amount >= lte);
    await expectFiltered({ hasAmount: false }, (p) => p.amount === null);
  });

  it("filters by flags (any of) and by flags left out (none of)", async () => {
    const flagged = f.projects.flatMap((p) => p.flags);
    const flag = common(flagged);
    await expectFiltered({ flags: [flag] }, (p) => p.flags.includes(flag));
    await expectFiltered({ flags: ["NEW", "EXPANDED"] }, (p) => p.flags.includes("NEW") || p.flags.includes("EXPANDED"));
    await expectFiltered({ withoutFlags: ["RELISTED", "NEW"] }, (p) => !p.flags.includes("RELISTED") && !p.flags.includes("NEW"));
  });

  it("filters by beneficiary group, usage ward and usage metric", async () => {
    const withGroups = f.projects.filter((p) => p.groups.size > 0);
    const municipality = common(withGroups.map((p) => p.municipalityCode));
    const group = common(withGroups.filter((p) => p.municipalityCode === municipality).flatMap((p) => [...p.groups]));
    await expectFiltered(
      { beneficiaryGroupIds: [f.groupIds.get(`${municipality}/${group}`)] },
      (p) => p.municipalityCode === municipality && p.groups.has(group),
    );

    const withWards = f.projects.filter((p) => p.usageWards.size > 0);
    const wardCity = withWards[0]!.municipalityCode;
    const ward = common(withWards.filter((p) => p.municipalityCode === wardCity).flatMap((p) => [...p.usageWards]));
    await expectFiltered({ hasUsageInWardIds: [f.wardIds.get(`${wardCity}/${ward}`)] }, (p) => p.municipalityCode === wardCity && p.usageWards.has(ward));

    const metric = common(f.projects.flatMap((p) => [...p.usageMetrics]));
    await expectFiltered({ usageMetrics: [metric] }, (p) => p.usageMetrics.has(metric));
  });

  it("filters line items, by parent and by series", async () => {
    await expectFiltered({ isLineItem: true }, (p) => p.parentKey !== null);
    await expectFiltered({ isLineItem: false }, (p) => p.parentKey === null);
    const item = f.projects.find((p) => p.parentKey !== null)!;
    const parentId = f.projectIds.get(id({ municipalityCode: item.municipalityCode, fiscalYear: item.fiscalYear, key: item.parentKey! }));
    await expectFiltered(
      { parentIds: [parentId] },
      (p) => p.parentKey === item.parentKey && p.fiscalYear === item.fiscalYear && p.municipalityCode === item.municipalityCode,
    );
    const series = [f.projects[0]!.key, f.projects[5]!.key];
    await expectFiltered({ seriesKeys: series }, (p) => series.includes(p.key));
  });

  it("filters by text (AND of words, kana and width folded) and combines every filter with AND", async () => {
    await expectFiltered({ text: "保育" }, (p) => textMatches(p, "保育"));
    await expectFiltered({ text: "ﾍﾟｱﾚﾝﾄ" }, (p) => textMatches(p, "ペアレント"));
    const [a, b] = dataset === "generated" ? ["相談", "里親"] : ["生活保護", "就労"];
    await expectFiltered({ text: `${a}　${b}` }, (p) => textMatches(p, a!) && textMatches(p, b!));
    const year = f.projects.at(-1)!.fiscalYear;
    await expectFiltered(
      { text: "支援", fiscalYears: [year], hasAmount: true, withoutFlags: ["RELISTED"], amountThousandYen: { gte: "1000" }, isLineItem: false },
      (p) => textMatches(p, "支援") && p.fiscalYear === year && p.amount !== null && p.amount >= 1000n && !p.flags.includes("RELISTED") && p.parentKey === null,
    );
  });

  it("treats an empty list as matching nothing", async () => {
    const { totalCount } = await allProjects(f.t, { where: { fiscalYears: [] } });
    expect(totalCount).toBe(0);
  });

  const rowId = (p: FlatProject) => f.rowIds.get(id(p))!;
  const byId = (a: FlatProject, b: FlatProject) =>
    compareText(a.municipalityCode, b.municipalityCode) || (rowId(a) < rowId(b) ? -1 : rowId(a) > rowId(b) ? 1 : 0);
  const amountKey = (p: FlatProject, direction: "ASC" | "DESC") => p.amount ?? (direction === "DESC" ? -1n : 2n ** 63n);
  const cmp = (x: bigint | number, y: bigint | number) => (x < y ? -1 : x > y ? 1 : 0);

  const orders: Array<[string, Array<{ field: string; direction: "ASC" | "DESC" }>, (a: FlatProject, b: FlatProject) => number]> = [
    [
      "report order (the default)",
      [],
      (a, b) =>
        compareText(a.municipalityCode, b.municipalityCode) || b.fiscalYear - a.fiscalYear || a.documentIndex - b.documentIndex || a.position - b.position,
    ],
    ["amount, largest first, missing last", [{ field: "AMOUNT", direction: "DESC" }], (a, b) => cmp(amountKey(b, "DESC"), amountKey(a, "DESC")) || -byId(a, b)],
    ["amount, smallest first, missing last", [{ field: "AMOUNT", direction: "ASC" }], (a, b) => cmp(amountKey(a, "ASC"), amountKey(b, "ASC")) || byId(a, b)],
    [
      "name, then latest year",
      [
        { field: "NAME", direction: "ASC" },
        { field: "FISCAL_YEAR", direction: "DESC" },
      ],
      (a, b) => compareText(a.nameJa, b.nameJa) || b.fiscalYear - a.fiscalYear || -byId(a, b),
    ],
    [
      "fiscal year, then amount",
      [
        { field: "FISCAL_YEAR", direction: "ASC" },
        { field: "AMOUNT", direction: "DESC" },
      ],
      (a, b) => a.fiscalYear - b.fiscalYear || cmp(amountKey(b, "DESC"), amountKey(a, "DESC")) || -byId(a, b),
    ],
    [
      "report order reversed",
      [{ field: "REPORT_ORDER", direction: "DESC" }],
      (a, b) => -(compareText(a.municipalityCode, b.municipalityCode) || a.documentIndex - b.documentIndex || a.position - b.position) || -byId(a, b),
    ],
  ];

  it.each(orders)("orders by %s, with a stable tie-break, across pages", async (_name, orderBy, compare) => {
    const { nodes } = await allProjects(f.t, { orderBy });
    expect(nodes.map(nodeId)).toEqual([...f.projects].sort(compare).map(id));
  });

  it("reads a page by amount from an index in either direction, without sorting every project", async () => {
    for (const direction of ["ASC", "DESC"]) {
      f.t.database.statements.sql.length = 0;
      f.t.database.statements.parameters.length = 0;
      await f.t.graphql(`{ projects(first: 5, orderBy: [{ field: AMOUNT, direction: ${direction} }]) { nodes { name } } }`);
      const statement = f.t.database.statements.sql.findLast((text) => text.includes('from "project"'));
      const parameters = f.t.database.statements.parameters[f.t.database.statements.sql.lastIndexOf(statement ?? "")] ?? [];
      expect(statement, "the page's statement").toBeDefined();
      // Sequential scans and sorts priced out, as they would be at scale: only a matching index avoids the sort.
      const plan = await f.t.database.db.connection().execute(async (connection) => {
        await sql`set enable_seqscan = off`.execute(connection);
        await sql`set enable_sort = off`.execute(connection);
        try {
          const { rows } = await connection.executeQuery<{ "QUERY PLAN": string }>(CompiledQuery.raw(`explain ${statement}`, [...parameters]));
          return rows.map((row) => row["QUERY PLAN"]).join("\n");
        } finally {
          await sql`reset enable_seqscan`.execute(connection);
          await sql`reset enable_sort`.execute(connection);
        }
      });
      expect(plan, direction).toMatch(/Index Scan( Backward)? using project_amount_(asc|desc)_idx/);
      expect(plan, direction).not.toMatch(/Sort/);
    }
  });

  it("pages backwards through an ordering with missing amounts exactly as forwards", async () => {
    const orderBy = [{ field: "AMOUNT", direction: "DESC" }];
    const { nodes } = await allProjects(f.t, { orderBy });
    const backwards: Json[] = [];
    let before: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const { body } = (await f.t.graphql(
        `query($orderBy: [ProjectOrder!], $before: String) { projects(last: 7, before: $before, orderBy: $orderBy) { nodes { seriesKey fiscalYear { year } municipality { code } } pageInfo { hasPreviousPage startCursor } } }`,
        { orderBy, before },
      )) as Json;
      backwards.unshift(...body.data.projects.nodes);
      if (!body.data.projects.pageInfo.hasPreviousPage) break;
      before = body.data.projects.pageInfo.startCursor;
    }
    expect(backwards.map(nodeId)).toEqual(nodes.map(nodeId));
  });

  it("refuses tampered cursors, cursors of another ordering and bad filter input with BAD_USER_INPUT", async () => {
    const { body } = (await f.t.graphql(`{ projects(first: 2, orderBy: [{field: AMOUNT, direction: DESC}]) { pageInfo { endCursor } } }`)) as Json;
    const cursor: string = body.data.projects.pageInfo.endCursor;
    const decoded = JSON.parse(Buffer.from(cursor, "base64url").toString());
    const tampered = Buffer.from(JSON.stringify({ ...decoded, v: ["1 or 1=1", ...decoded.v.slice(1)] })).toString("base64url");
    const attempts = [
      [`{ projects(first: 2, after: "${tampered}", orderBy: [{field: AMOUNT, direction: DESC}]) { nodes { id } } }`, /has been altered/],
      [`{ projects(first: 2, after: "${cursor}", orderBy: [{field: NAME}]) { nodes { id } } }`, /different ordering/],
      [`{ projects(first: 2, after: "${cursor}") { nodes { id } } }`, /different ordering/],
      [`{ projects(first: 2, where: { departmentIds: ["bm9wZQ"] }) { nodes { id } } }`, /not the global ID of a Department/],
      [`{ projects(first: 2, where: { amountThousandYen: { gte: "-5" } }) { nodes { id } } }`, /whole number/],
      [`{ projects(first: 2, where: { amountThousandYen: { gte: "9", lte: "1" } }) { nodes { id } } }`, /above lte/],
      [`{ projects(first: 2, where: { text: "a 子" }) { nodes { id } } }`, /2 or more characters/],
      [`{ projects(first: 2, orderBy: [{field: NAME}, {field: NAME, direction: DESC}]) { nodes { id } } }`, /twice/],
    ] as const;
    for (const [query, message] of attempts) {
      const result = (await f.t.graphql(query)) as Json;
      expect(result.body.errors?.[0]?.extensions?.code, query).toBe("BAD_USER_INPUT");
      expect(result.body.errors?.[0]?.message).toMatch(message);
    }
  });

  it("filters and orders nested project lists, one statement per level", async () => {
    const municipality = f.projects[0]!.municipalityCode;
    const query = (n: number) =>
      `{ departments(first: ${n}) { nodes { slug municipality { code } projects(first: 100, where: { hasAmount: true }, orderBy: [{field: AMOUNT, direction: DESC}]) { totalCount nodes { seriesKey fiscalYear { year } municipality { code } } } } } }`;
    f.t.database.statements.count = 0;
    const { body } = (await f.t.graphql(query(100))) as Json;
    expect(body.errors).toBeUndefined();
    expect(f.t.database.statements.count).toBeLessThanOrEqual(4);
    for (const d of body.data.departments.nodes) {
      const expected = f.projects
        .filter((p) => p.municipalityCode === d.municipality.code && p.departmentSlug === d.slug && p.amount !== null)
        .sort((a, b) => cmp(b.amount!, a.amount!) || -byId(a, b));
      expect(d.projects.totalCount).toBe(expected.length);
      expect(d.projects.nodes.map(nodeId)).toEqual(expected.slice(0, 100).map(id));
    }
    expect(municipality).toBeTruthy();
  });
});
