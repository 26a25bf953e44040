// Contract tests of @welfare-graph/sdk: every client method against the real server (yoga.fetch,
// the whole HTTP pipeline) on PostgreSQL and PGlite, compared with what the database holds.
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  createClient,
  type OperationName,
  operations,
  ProjectOrderField,
  SearchableType,
  SortDirection,
  SpendingDimension,
  UsageDimension,
  type WelfareGraphClient,
} from "../packages/sdk/src/index.ts";
import { startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";

/** "Department:431001:5" → { type: "Department", key: "431001:5" } (Relay global IDs, base64). */
function decodeId(id: string) {
  const [type, ...rest] = Buffer.from(id, "base64").toString("utf8").split(":");
  return { type, key: rest.join(":") };
}
const keyOf = (row: { municipality_code: string; id: string | number }) => `${row.municipality_code}:${row.id}`;
const flagsOf = (row: { is_new: boolean; is_expanded: boolean; is_relisted: boolean }) =>
  [row.is_new && "NEW", row.is_expanded && "EXPANDED", row.is_relisted && "RELISTED"].filter(Boolean);

/** Every method is exercised below; this list makes a new operation without a contract test fail. */
const covered = new Set<OperationName>();

describe.each(engines())("the SDK against the server on %s", (kind) => {
  let t: TestApp;
  let client: WelfareGraphClient;
  const db = () => t.database.db;

  beforeAll(async () => {
    t = await startTestApp(kind);
    client = createClient({ url: "http://localhost/graphql", fetch: (input, init) => Promise.resolve(t.app.fetch(input, init)) });
  });
  afterAll(() => t?.close());

  it("departments: every department in report order, paged with paginate", async () => {
    covered.add("departments");
    const rows = await db()
      .selectFrom("department")
      .innerJoin("municipality", "municipality.code", "department.municipality_code")
      .select([
        "department.municipality_code",
        "department.id",
        "department.key",
        "department.name_ja",
        "department.name_en",
        "municipality.name_ja as municipality_name",
      ])
      .orderBy("department.municipality_code")
      .orderBy("department.sort_order")
      .orderBy("department.id")
      .execute();
    const first = await client.departments({ first: 3 });
    expect(first.departments.totalCount).toBe(rows.length);
    expect(first.departments.nodes).toHaveLength(3);

    const nodes = [];
    let pages = 0;
    for await (const page of client.paginate.departments({ first: 4 })) {
      pages++;
      expect(page.totalCount).toBe(rows.length);
      nodes.push(...page.nodes);
    }
    expect(pages).toBe(Math.ceil(rows.length / 4));
    expect(nodes.map((d) => ({ ...d, id: decodeId(d.id) }))).toEqual(
      rows.map((r) => ({
        id: { type: "Department", key: keyOf(r) },
        slug: r.key,
        name: r.name_ja,
        nameEn: r.name_en,
        municipality: { code: r.municipality_code, name: r.municipality_name },
      })),
    );
  });

  it("departmentsWithProjects: each department's projects as the project table holds them", async () => {
    covered.add("departmentsWithProjects");
    const { departments } = await client.departmentsWithProjects({ first: 100 });
    const projects = await db()
      .selectFrom("project")
      .selectAll()
      .orderBy("fiscal_year", "desc")
      .orderBy("document_id")
      .orderBy("sort_order")
      .orderBy("id")
      .execute();
    const byKey = new Map(projects.map((p) => [keyOf(p), p]));
    expect(departments.nodes.length).toBeGreaterThan(0);
    let seen = 0;
    for (const department of departments.nodes) {
      const departmentKey = decodeId(department.id).key;
      const expected = projects.filter((p) => `${p.municipality_code}:${p.department_id}` === departmentKey);
      expect(department.projects.totalCount).toBe(expected.length);
      expect(department.projects.nodes.map((p) => decodeId(p.id).key)).toEqual(expected.slice(0, 100).map(keyOf));
      for (const project of department.projects.nodes) {
        const row = byKey.get(decodeId(project.id).key)!;
        seen++;
        expect(project).toMatchObject({
          seriesKey: row.key,
          name: row.name_ja,
          nameEn: row.name_en,
          description: row.description_ja,
          amountThousandYen: row.amount_thousand_yen,
          amountYen: row.amount_thousand_yen === null ? null : String(BigInt(row.amount_thousand_yen) * 1000n),
          amountNote: row.amount_note,
          flags: flagsOf(row),
          fiscalYear: { year: row.fiscal_year },
          source: { page: row.page },
        });
        expect(project.parent && decodeId(project.parent.id).key).toBe(row.parent_id === null ? null : `${row.municipality_code}:${row.parent_id}`);
      }
    }
    expect(seen).toBe(projects.length);
  });

  it("projects: all of them through paginate, in report order, with amounts exact", async () => {
    covered.add("projects");
    const rows = await db()
      .selectFrom("project")
      .innerJoin("department", (join) =>
        join.onRef("department.municipality_code", "=", "project.municipality_code").onRef("department.id", "=", "project.department_id"),
      )
      .select([
        "project.municipality_code",
        "project.id",
        "project.name_ja",
        "project.amount_thousand_yen",
        "project.department_id",
        "department.name_ja as department_name",
      ])
      .orderBy("project.municipality_code")
      .orderBy("project.fiscal_year", "desc")
      .orderBy("project.document_id")
      .orderBy("project.sort_order")
      .orderBy("project.id")
      .execute();
    const nodes = [];
    for await (const page of client.paginate.projects({ first: 50 }, { maxPages: 100 })) nodes.push(...page.nodes);
    expect(nodes.map((p) => [decodeId(p.id).key, p.name, p.amountThousandYen, decodeId(p.department.id).key, p.department.name])).toEqual(
      rows.map((r) => [keyOf(r), r.name_ja, r.amount_thousand_yen, `${r.municipality_code}:${r.department_id}`, r.department_name]),
    );
    const amounts = nodes.flatMap((p) => (p.amountThousandYen === null ? [] : [BigInt(p.amountThousandYen)]));
    const [{ total }] = await sql<{ total: string }>`select sum(amount_thousand_yen)::text as total from project`
      .execute(db())
      .then((r) => r.rows as [{ total: string }]);
    expect(amounts.reduce((a, b) => a + b, 0n).toString()).toBe(total);
  });

  it("project: one project with its beneficiaries, usage and line items as stored", async () => {
    covered.add("project");
    // The project with the most figures, so that every nested list has something to compare.
    const busiest = await sql<{ municipality_code: string; id: string }>`
      select p.municipality_code, p.id::text as id from project p
      order by (select count(*) from beneficiary_count b where b.project_id = p.id) + (select count(*) from usage_figure u where u.project_id = p.id) desc, p.id
      limit 1`.execute(db());
    const target = busiest.rows[0]!;
    const { projects } = await client.projects({ first: 100 });
    let id = projects.nodes.find((p) => decodeId(p.id).key === keyOf(target))?.id;
    if (!id) id = Buffer.from(`Project:${keyOf(target)}`).toString("base64");
    const { project } = await client.project({ id });
    expect(project).not.toBeNull();

    const row = await db()
      .selectFrom("project")
      .selectAll()
      .where("municipality_code", "=", target.municipality_code)
      .where("id", "=", target.id)
      .executeTakeFirstOrThrow();
    expect(project!.name).toBe(row.name_ja);
    expect(decodeId(project!.department.id).key).toBe(`${row.municipality_code}:${row.department_id}`);
    expect(project!.source.page).toBe(row.page);

    const beneficiaries = await db()
      .selectFrom("beneficiary_count as b")
      .innerJoin("beneficiary_group as g", (join) => join.onRef("g.municipality_code", "=", "b.municipality_code").onRef("g.id", "=", "b.group_id"))
      .leftJoin("ward as w", (join) => join.onRef("w.municipality_code", "=", "b.municipality_code").onRef("w.id", "=", "b.ward_id"))
      .select(["b.value", "b.unit", "b.is_total", "b.as_of", "b.note_ja", "g.name_ja as group_name", "w.name_ja as ward_name"])
      .where("b.municipality_code", "=", row.municipality_code)
      .where("b.project_id", "=", row.id)
      .orderBy("b.sort_order")
      .orderBy("b.id")
      .execute();
    expect(project!.beneficiaries.totalCount).toBe(beneficiaries.length);
    expect(
      project!.beneficiaries.nodes.map((b) => ({
        value: Number(b.value),
        unit: b.unit,
        isTotal: b.isTotal,
        asOf: b.asOf,
        note: b.note,
        group: b.group.name,
        label: b.label,
        ward: b.ward?.name ?? null,
      })),
    ).toEqual(
      beneficiaries.map((b) => ({
        value: Number(b.value),
        unit: b.unit,
        isTotal: b.is_total,
        asOf: b.as_of,
        note: b.note_ja,
        group: b.group_name,
        label: b.group_name,
        ward: b.ward_name,
      })),
    );

    const usage = await db()
      .selectFrom("usage_figure as u")
      .leftJoin("ward as w", (join) => join.onRef("w.municipality_code", "=", "u.municipality_code").onRef("w.id", "=", "u.ward_id"))
      .select(["u.metric", "u.label_ja", "u.category_ja", "u.value", "u.unit", "u.fiscal_year", "w.name_ja as ward_name"])
      .where("u.municipality_code", "=", row.municipality_code)
      .where("u.project_id", "=", row.id)
      .orderBy("u.sort_order")
      .orderBy("u.id")
      .execute();
    expect(project!.usage.totalCount).toBe(usage.length);
    expect(project!.usage.nodes.map((u) => [u.metric, u.label, u.category, Number(u.value), u.unit, u.fiscalYear.year, u.ward?.name ?? null])).toEqual(
      usage.map((u) => [u.metric, u.label_ja, u.category_ja, Number(u.value), u.unit, u.fiscal_year, u.ward_name]),
    );

    const lineItems = await db()
      .selectFrom("project")
      .select(["municipality_code", "id", "name_ja"])
      .where("municipality_code", "=", row.municipality_code)
      .where("parent_id", "=", row.id)
      .orderBy("sort_order")
      .orderBy("id")
      .execute();
    expect(project!.lineItems.nodes.map((p) => [decodeId(p.id).key, p.name])).toEqual(lineItems.map((p) => [keyOf(p), p.name_ja]));

    const missing = await client.project({ id: Buffer.from("Project:431001:999999999").toString("base64") });
    expect(missing).toEqual({ project: null });
  });

  it("node and nodes: any object by global ID, with its typename, null where missing", async () => {
    covered.add("node");
    covered.add("nodes");
    const [{ departments }, { projects }, { municipalities }, { fiscalYears }, { documents }, { beneficiaryGroups }] = await Promise.all([
      client.departments({ first: 1 }),
      client.projects({ first: 1 }),
      client.municipalities(),
      client.fiscalYears(),
      client.documents(),
      client.beneficiaryGroups({ first: 1 }),
    ]);
    const department = departments.nodes[0]!;
    const node = await client.node({ id: department.id });
    expect(node.node).toEqual({ __typename: "Department", id: department.id, slug: department.slug, name: department.name, nameEn: department.nameEn });
    if (node.node?.__typename === "Department") expect(node.node.slug).toBe(department.slug);

    const ids = [projects.nodes[0]!.id, municipalities.nodes[0]!.id, fiscalYears.nodes[0]!.id, documents.nodes[0]!.id, beneficiaryGroups.nodes[0]!.id];
    const absent = Buffer.from("Department:431001:999999999").toString("base64");
    const { nodes } = await client.nodes({ ids: [...ids, absent] });
    expect(nodes.map((n) => n?.__typename ?? null)).toEqual(["Project", "Municipality", "FiscalYear", "SourceDocument", "BeneficiaryGroup", null]);
    expect(nodes.map((n) => n?.id ?? null)).toEqual([...ids, null]);
    const municipality = nodes[1];
    expect(municipality?.__typename === "Municipality" && municipality.code).toBe(municipalities.nodes[0]!.code);
  });

  it("municipalities and municipality: codes, names, wards and departments as stored", async () => {
    covered.add("municipalities");
    covered.add("municipality");
    const rows = await db().selectFrom("municipality").selectAll().orderBy("code").execute();
    const { municipalities } = await client.municipalities({ first: 100 });
    expect(municipalities.totalCount).toBe(rows.length);
    expect(municipalities.nodes.map(({ id: _, ...m }) => m)).toEqual(
      rows.map((r) => ({ code: r.code, code5: r.code5, name: r.name_ja, nameEn: r.name_en, prefecture: r.prefecture_ja, prefectureEn: r.prefecture_en })),
    );
    const code = rows[0]!.code;
    const { municipality } = await client.municipality({ code });
    const wards = await db().selectFrom("ward").selectAll().where("municipality_code", "=", code).orderBy("sort_order").orderBy("id").execute();
    const departments = await db().selectFrom("department").selectAll().where("municipality_code", "=", code).orderBy("sort_order").orderBy("id").execute();
    expect(municipality?.wards.nodes.map((w) => [w.code, w.name, w.nameEn])).toEqual(wards.map((w) => [w.key, w.name_ja, w.name_en]));
    expect(municipality?.departments.totalCount).toBe(departments.length);
    expect(municipality?.departments.nodes.map((d) => d.name)).toEqual(departments.map((d) => d.name_ja));
    expect(await client.municipality({ code: "999999" })).toEqual({ municipality: null });
  });

  it("beneficiaryGroups: every group with the number of projects that count it", async () => {
    covered.add("beneficiaryGroups");
    const rows = await db()
      .selectFrom("beneficiary_group as g")
      .select((eb) => [
        "g.municipality_code",
        "g.id",
        "g.key",
        "g.name_ja",
        eb
          .selectFrom("beneficiary_count as b")
          .select(sql<number>`count(distinct b.project_id)::int`.as("n"))
          .whereRef("b.municipality_code", "=", "g.municipality_code")
          .whereRef("b.group_id", "=", "g.id")
          .as("projects"),
      ])
      .orderBy("g.municipality_code")
      .orderBy("g.name_ja")
      .orderBy("g.id")
      .execute();
    const nodes = [];
    for await (const page of client.paginate.beneficiaryGroups({ first: 100 })) nodes.push(...page.nodes);
    expect(nodes.map((g) => [decodeId(g.id).key, g.slug, g.name, g.municipality.code, g.projects.totalCount])).toEqual(
      rows.map((r) => [keyOf(r), r.key, r.name_ja, r.municipality_code, r.projects]),
    );
  });

  it("fiscalYears and documents: years newest first, documents with their provenance", async () => {
    covered.add("fiscalYears");
    covered.add("documents");
    const years = await db().selectFrom("fiscal_year").selectAll().orderBy("year", "desc").execute();
    const { fiscalYears } = await client.fiscalYears();
    expect(fiscalYears.nodes.map((y) => [y.year, y.eraLabel, y.startsOn, y.endsOn])).toEqual(
      years.map((y) => [y.year, y.era_label, `${y.year}-04-01`, `${y.year + 1}-03-31`]),
    );

    const rows = await db().selectFrom("source_document").selectAll().orderBy("fiscal_year", "desc").orderBy("municipality_code").orderBy("id").execute();
    const { documents } = await client.documents({ first: 100 });
    expect(documents.totalCount).toBe(rows.length);
    expect(
      documents.nodes.map((d) => ({
        key: decodeId(d.id).key,
        slug: d.slug,
        title: d.title,
        pageCount: d.pageCount,
        sourceFile: d.sourceFile,
        year: d.fiscalYear.year,
        importedAt: d.importedAt,
      })),
    ).toEqual(
      rows.map((r) => ({
        key: keyOf(r),
        slug: r.key,
        title: r.title_ja,
        pageCount: r.page_count,
        sourceFile: r.source_file,
        year: r.fiscal_year,
        importedAt: new Date(r.imported_at).toISOString(),
      })),
    );
  });

  it("projects with where/orderBy/aggregate: the filtered list and its sums as the table holds them", async () => {
    const rows = await db()
      .selectFrom("project")
      .select(["municipality_code", "id", "amount_thousand_yen", "is_relisted", "parent_id"])
      .where("amount_thousand_yen", ">=", "100000")
      .orderBy("amount_thousand_yen", "desc")
      .orderBy("municipality_code")
      .orderBy("id")
      .execute();
    const { projects } = await client.projects({
      first: 100,
      where: { amountThousandYen: { gte: "100000" }, isLineItem: false },
      orderBy: [{ field: ProjectOrderField.AMOUNT, direction: SortDirection.DESC }],
    });
    const topLevel = rows.filter((r) => r.parent_id === null);
    expect(projects.totalCount).toBe(topLevel.length);
    expect(projects.nodes.map((p) => decodeId(p.id).key)).toEqual(topLevel.map(keyOf));
    const counted = topLevel.filter((r) => !r.is_relisted);
    const sum = counted.reduce((acc, r) => acc + BigInt(r.amount_thousand_yen as string), 0n);
    expect(projects.aggregate.sum.amountThousandYen).toBe(sum.toString());
    expect(projects.aggregate.count).toBe(counted.length);
    expect(projects.aggregate.max.amountThousandYen).toBe(
      String(counted.map((r) => BigInt(r.amount_thousand_yen as string)).reduce((a, b) => (a > b ? a : b))),
    );
  });

  it("projectSeries: a project's amount per fiscal year of its series key", async () => {
    covered.add("projectSeries");
    const row = await db()
      .selectFrom("project")
      .select(["municipality_code", "id", "key", "fiscal_year", "amount_thousand_yen"])
      .where("amount_thousand_yen", "is not", null)
      .orderBy("id")
      .executeTakeFirstOrThrow();
    const id = Buffer.from(`Project:${keyOf(row)}`).toString("base64");
    const { project } = await client.projectSeries({ id });
    expect(project?.seriesKey).toBe(row.key);
    expect(project?.series).toEqual([
      {
        fiscalYear: { year: row.fiscal_year, eraLabel: "令和5年度" },
        amountThousandYen: String(row.amount_thousand_yen),
        changeThousandYen: null,
        changeRatio: null,
        hasPreviousYear: false,
      },
    ]);
  });

  it("search: 2-character Japanese terms find the projects whose names hold them", async () => {
    covered.add("search");
    const rows = await db().selectFrom("project").select(["municipality_code", "id", "name_ja", "description_ja"]).execute();
    const expected = rows.filter((r) => r.name_ja.includes("里親") || (r.description_ja ?? "").includes("里親")).map(keyOf);
    expect(expected.length).toBeGreaterThan(0);
    const { search } = await client.search({ query: "里親", types: [SearchableType.PROJECT], first: 50 });
    expect(search.nodes.map((hit) => decodeId(hit.node.id).key).sort()).toEqual([...expected].sort());
    for (const hit of search.nodes) expect(hit.snippet).toContain("里親");
    const none = await client.search({ query: "存在しない語句" });
    expect(none.search.totalCount).toBe(0);
  });

  it("spending and usageTotals: sums per department and per ward as the tables hold them", async () => {
    covered.add("spending");
    covered.add("usageTotals");
    const departments = await db().selectFrom("department").select(["municipality_code", "id", "name_ja"]).execute();
    const { spending } = await client.spending({ groupBy: [SpendingDimension.DEPARTMENT], first: 100 });
    expect(spending.totalCount).toBe(departments.length);
    const byName = new Map(spending.nodes.map((b) => [b.department?.name, b.sum.amountThousandYen]));
    const welfarePolicy = await db()
      .selectFrom("project")
      .innerJoin("department", (j) =>
        j.onRef("department.municipality_code", "=", "project.municipality_code").onRef("department.id", "=", "project.department_id"),
      )
      .select(sql<string>`sum(project.amount_thousand_yen)::text`.as("sum"))
      .where("department.name_ja", "=", "健康福祉政策課")
      .where("project.is_relisted", "=", false)
      .where("project.parent_id", "is", null)
      .executeTakeFirstOrThrow();
    expect(byName.get("健康福祉政策課")).toBe(welfarePolicy.sum);

    const wardRows = await db()
      .selectFrom("usage_figure")
      .innerJoin("ward", (j) => j.onRef("ward.municipality_code", "=", "usage_figure.municipality_code").onRef("ward.id", "=", "usage_figure.ward_id"))
      .select(["ward.name_ja", "usage_figure.unit", sql<string>`sum(usage_figure.value)::text`.as("sum")])
      .where("usage_figure.is_total", "=", false)
      .where("usage_figure.unit", "not in", ["PERCENT", "POINTS"])
      .groupBy(["ward.name_ja", "usage_figure.unit"])
      .execute();
    const { usageTotals } = await client.usageTotals({ groupBy: [UsageDimension.WARD], first: 100 });
    const got = usageTotals.nodes
      .filter((b) => b.ward)
      .map((b) => `${b.ward?.name}|${b.unit}|${Number(b.sum)}`)
      .sort();
    expect(got).toEqual(wardRows.map((r) => `${r.name_ja}|${r.unit}|${Number(r.sum)}`).sort());
  });

  it("has a contract test for every client method", () => {
    expect([...covered].sort()).toEqual(Object.keys(operations).sort());
  });
});
