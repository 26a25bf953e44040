// Checks the bundled dataset must pass once imported, asked of the database on both engines:
// stated sums hold, every project has a department and a page, no duplicates, no negative
// amounts, units from the closed list, and the committed totals snapshot matches.
import { readFileSync } from "node:fs";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { departmentTotals, documentsOf } from "../packages/server/src/data/document-totals.ts";
import { loadDataset } from "../packages/server/src/import/load.ts";
import { renderTotalsReport, totalsReportFile } from "../packages/server/src/import/totals-report.ts";
import { createApp } from "../packages/server/src/yoga.ts";
import { type Json, postGraphQL } from "./support/app.ts";
import { createTestDatabase, engines, type TestDatabase } from "./support/databases.ts";

const { dataset } = loadDataset(path.join(import.meta.dirname, "../data"));
const [bundle] = dataset.bundles;

/** Every stated total in the files (totalOf), with where it sits: the DB keeps only is_total. */
const statedTotals = dataset.bundles.flatMap((b) =>
  b.departments.flatMap((d) =>
    d.data.projects.flatMap((p) =>
      [p, ...(p.lineItems ?? [])].flatMap((item) => [
        ...(item.beneficiaries ?? []).flatMap((f, i) =>
          f.totalOf ? [{ kind: "beneficiaries" as const, project: item.key, sortOrder: i + 1, key: f.group, figure: f }] : [],
        ),
        ...(item.usage ?? []).flatMap((f, i) => (f.totalOf ? [{ kind: "usage" as const, project: item.key, sortOrder: i + 1, key: f.metric, figure: f }] : [])),
      ]),
    ),
  ),
);

describe.each(engines())("the bundled dataset on %s", (kind) => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase(kind, { load: true });
  });
  afterAll(() => database?.drop());

  const rows = async <T>(query: ReturnType<typeof sql<T>>) => (await query.execute(database.db)).rows;

  it("holds the report: 29 pages, every department, every project", async () => {
    expect(bundle).toBeDefined();
    const [doc] = await rows(sql<{ page_count: number; projects: string; departments: string }>`
      select d.page_count,
             (select count(*) from project p where p.document_id = d.id) as projects,
             (select count(distinct department_id) from project p where p.document_id = d.id) as departments
        from source_document d`);
    const fileProjects = bundle!.departments.reduce((n, d) => n + d.data.projects.reduce((m, p) => m + 1 + (p.lineItems?.length ?? 0), 0), 0);
    expect(doc).toEqual({ page_count: 29, projects: String(fileProjects), departments: String(bundle!.departments.length) });
  });

  it("被保護世帯数 by ward adds up to the stated 12,031 households (令和6年3月時点)", async () => {
    const result = await rows(sql<{ wards: string; ward_sum: string; stated: string }>`
      select count(*) filter (where b.ward_id is not null) as wards,
             sum(b.value) filter (where b.ward_id is not null)::text as ward_sum,
             sum(b.value) filter (where b.ward_id is null and b.is_total)::text as stated
        from beneficiary_count b
        join beneficiary_group g on g.municipality_code = b.municipality_code and g.id = b.group_id
       where g.key = 'public-assistance-households' and b.unit = 'HOUSEHOLDS' and b.as_of = '2024-03'`);
    expect(result).toEqual([{ wards: "5", ward_sum: "12031", stated: "12031" }]);
  });

  it("every stated total (totalOf) equals the sum of its parts in the database", async () => {
    expect(statedTotals.length).toBeGreaterThan(5);
    const wrong: unknown[] = [];
    for (const t of statedTotals) {
      const table = t.kind === "usage" ? sql.table("usage_figure") : sql.table("beneficiary_count");
      const keyOf =
        t.kind === "usage" ? sql`f.metric` : sql`(select g.key from beneficiary_group g where g.municipality_code = f.municipality_code and g.id = f.group_id)`;
      const category = t.kind === "usage" ? sql`f.category_ja is not distinct from total.category_ja` : sql`true`;
      const [row] = await rows(sql<{ stated: string; parts: string | null; n: string }>`
        with total as (
          select f.* from ${table} f join project p on p.municipality_code = f.municipality_code and p.id = f.project_id
           where p.key = ${t.project} and f.sort_order = ${t.sortOrder} and f.is_total
        )
        select total.value::text as stated, sum(f.value)::text as parts, count(f.id)::text as n
          from total
          left join ${table} f
            on f.municipality_code = total.municipality_code and f.project_id = total.project_id and not f.is_total
           and ${keyOf} = any(${sql.val(t.figure.totalOf)}::text[])
           and f.unit = total.unit and f.fiscal_year = total.fiscal_year and f.as_of is not distinct from total.as_of and ${category}
           and (${keyOf} <> ${t.key} or (f.ward_id is not null and total.ward_id is null))
         group by total.value`);
      if (!row || row.parts === null || Number(row.stated) !== Number(row.parts)) wrong.push({ ...t, row });
    }
    expect(wrong).toEqual([]);
  });

  it("every project has a department and a page within the document (1..29)", async () => {
    const bad = await rows(sql`
      select p.key, p.page, d.page_count from project p
        join source_document d on d.municipality_code = p.municipality_code and d.id = p.document_id
        left join department dep on dep.municipality_code = p.municipality_code and dep.id = p.department_id
       where dep.id is null or p.page not between 1 and d.page_count`);
    expect(bad).toEqual([]);
  });

  it("every figure's page is within the document", async () => {
    const bad = await rows(sql`
      select 'usage' as kind, f.id, f.page from usage_figure f join source_document d on d.municipality_code = f.municipality_code and d.id = f.document_id
       where f.page not between 1 and d.page_count
      union all
      select 'beneficiaries', f.id, f.page from beneficiary_count f join source_document d on d.municipality_code = f.municipality_code and d.id = f.document_id
       where f.page not between 1 and d.page_count`);
    expect(bad).toEqual([]);
  });

  it("has no duplicate projects (same department, name and parent)", async () => {
    const duplicates = await rows(sql`
      select dep.name_ja as department, p.name_ja as project, count(*)::int as n
        from project p join department dep on dep.municipality_code = p.municipality_code and dep.id = p.department_id
       group by dep.name_ja, p.name_ja, p.parent_id having count(*) > 1`);
    expect(duplicates).toEqual([]);
  });

  it("has no negative amount or figure", async () => {
    const [counts] = await rows(sql<{ amounts: string; usage: string; beneficiaries: string }>`
      select (select count(*) from project where amount_thousand_yen < 0) as amounts,
             (select count(*) from usage_figure where value < 0) as usage,
             (select count(*) from beneficiary_count where value < 0) as beneficiaries`);
    expect(counts).toEqual({ amounts: "0", usage: "0", beneficiaries: "0" });
  });

  it("uses only units from the closed list (data/units.yaml)", async () => {
    const closed = dataset.units.map((u) => u.key).sort();
    const units = await rows(sql<{ key: string }>`select key from unit order by key`);
    expect(units.map((u) => u.key)).toEqual(closed);
    const used = await rows(sql<{ unit: string }>`select unit from usage_figure union select unit from beneficiary_count order by unit`);
    for (const { unit } of used) expect(closed).toContain(unit);
  });

  it("agrees with the committed totals snapshot (run `pnpm data:totals` after changing the data, then review the diff)", async () => {
    const documents = await documentsOf(database.db);
    expect(documents.length).toBe(dataset.bundles.length);
    for (const doc of documents) {
      const file = totalsReportFile(doc);
      expect(await renderTotalsReport(database.db, doc), path.relative(process.cwd(), file)).toBe(readFileSync(file, "utf8"));
    }
  });

  it("serves the snapshot's per-department spending through the API (aggregate and spending agree)", async () => {
    const [doc] = await documentsOf(database.db);
    const expected = (await departmentTotals(database.db, doc!)).map((d) => [d.nameJa, d.spendingThousandYen]);
    const app = createApp({ database, logError: () => {} });
    const post = async (query: string) => (await postGraphQL(app, { query })).body as Json;
    const spending = await post(`{ spending(groupBy: [DEPARTMENT], first: 100) { nodes { department { name } sum { amountThousandYen } } } }`);
    const byName = new Map(spending.data.spending.nodes.map((b: Json) => [b.department.name, b.sum.amountThousandYen]));
    expect(expected.map(([name]) => [name, byName.get(name)])).toEqual(expected);
    const departments = await post(`{ departments(first: 100) { nodes { name projects(first: 1) { aggregate { sum { amountThousandYen } } } } } }`);
    expect(departments.data.departments.nodes.map((d: Json) => [d.name, d.projects.aggregate.sum.amountThousandYen])).toEqual(expected);
    // 障害福祉サービス事業 prints no total, only its five benefit lines: they are the spending.
    const disability = expected.find(([name]) => name === "障がい福祉課")!;
    expect(BigInt(disability[1]!)).toBeGreaterThan(10_000_000n);
  });
});
