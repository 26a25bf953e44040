// Aggregates, spending buckets, usage totals and series, against sums computed in JavaScript
// (BigInt, exact) from the data files and from a generated dataset whose sums pass 2^53.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Json } from "./support/app.ts";
import { engines } from "./support/databases.ts";
import { aggregateOf, countedOnce, type FlatProject, id } from "./support/expectations.ts";
import { type DatasetName, type QueryFixture, startQueryFixture } from "./support/query-fixture.ts";

const datasets: DatasetName[] = ["data files", "generated"];
const cases = engines().flatMap((kind) => datasets.map((dataset) => [kind, dataset] as const));

/** Exact decimal sum of decimal strings (scaled BigInt). */
function sumDecimals(values: string[]): string {
  const scale = Math.max(0, ...values.map((v) => v.split(".")[1]?.length ?? 0));
  const total = values.reduce((acc, v) => {
    const [whole = "0", frac = ""] = v.split(".");
    return acc + BigInt(whole + frac.padEnd(scale, "0"));
  }, 0n);
  const digits = total.toString().padStart(scale + 1, "0");
  return canonical(scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits);
}
const canonical = (v: string) => (v.includes(".") ? v.replace(/0+$/, "").replace(/\.$/, "") : v);

const aggregateSelection = `aggregate { count countWithAmount sum { amountThousandYen amountYen } avg { amountThousandYen } min { amountThousandYen } max { amountThousandYen } }`;
const asReturned = (a: ReturnType<typeof aggregateOf>) => ({
  count: a.count,
  countWithAmount: a.countWithAmount,
  sum: { amountThousandYen: a.sum, amountYen: (BigInt(a.sum) * 1000n).toString() },
  avg: { amountThousandYen: a.avg },
  min: { amountThousandYen: a.min },
  max: { amountThousandYen: a.max },
});

function groupBy<K>(items: FlatProject[], keysOf: (p: FlatProject) => K[]): Map<K, FlatProject[]> {
  const groups = new Map<K, FlatProject[]>();
  for (const p of items) for (const k of keysOf(p)) groups.set(k, [...(groups.get(k) ?? []), p]);
  return groups;
}

describe.each(cases)("aggregates on %s with the %s", (kind, dataset) => {
  let f: QueryFixture;
  beforeAll(async () => {
    f = await startQueryFixture(kind, dataset);
  });
  afterAll(() => f?.close());
  const spendingOf = (keep: (p: FlatProject) => boolean, includeRelisted = false) => countedOnce(f.projects.filter(keep), includeRelisted);

  it("counts, sums, averages and bounds amounts over the whole filtered list, not the page", async () => {
    const year = f.projects.at(-1)!.fiscalYear;
    const scenarios: Array<[string, Record<string, unknown> | null, (p: FlatProject) => boolean, boolean]> = [
      ["everything", null, () => true, false],
      ["everything with re-listed projects", null, () => true, true],
      [
        "one year, new or expanded",
        { fiscalYears: [year], flags: ["NEW", "EXPANDED"] },
        (p) => p.fiscalYear === year && (p.flags.includes("NEW") || p.flags.includes("EXPANDED")),
        false,
      ],
      ["line items only", { isLineItem: true }, (p) => p.parentKey !== null, false],
      ["nothing", { fiscalYears: [1999] }, () => false, false],
    ];
    for (const [name, where, keep, includeRelisted] of scenarios) {
      const { body } = (await f.t.graphql(
        `query($where: ProjectFilter, $inc: Boolean) { projects(first: 1, where: $where) { totalCount aggregate(includeRelisted: $inc) { count countWithAmount sum { amountThousandYen amountYen } avg { amountThousandYen } min { amountThousandYen } max { amountThousandYen } } } }`,
        {
          where,
          inc: includeRelisted,
        },
      )) as Json;
      expect(body.errors, name).toBeUndefined();
      expect(body.data.projects.aggregate, name).toEqual(asReturned(aggregateOf(spendingOf(keep, includeRelisted))));
      expect(body.data.projects.totalCount, name).toBe(f.projects.filter(keep).length);
    }
    if (dataset === "generated") {
      // The generated amounts add up past 2^53: a float would have rounded.
      const total = BigInt(aggregateOf(spendingOf(() => true)).sum);
      expect(total > BigInt(Number.MAX_SAFE_INTEGER)).toBe(true);
    }
  });

  it("adds up a project's line items even when the project states an amount of its own: the parent is not in that list", async () => {
    const sameDocument = (a: FlatProject, b: FlatProject) => a.municipalityCode === b.municipalityCode && a.fiscalYear === b.fiscalYear;
    const itemsOf = (p: FlatProject) => f.projects.filter((i) => i.parentKey === p.key && sameDocument(i, p));
    const parents = f.projects.filter((p) => p.parentKey === null && itemsOf(p).length > 0).slice(0, 100);
    const { body } = (await f.t.graphql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Project { lineItems(first: 1) { totalCount ${aggregateSelection} } } } }`,
      {
        ids: parents.map((p) => f.projectIds.get(id(p))),
      },
    )) as Json;
    expect(body.errors).toBeUndefined();
    for (const [i, p] of parents.entries()) {
      const items = itemsOf(p);
      expect(body.data.nodes[i].lineItems.totalCount).toBe(items.length);
      expect(body.data.nodes[i].lineItems.aggregate, `line items of ${id(p)}`).toEqual(
        asReturned(aggregateOf(items.filter((item) => !item.flags.includes("RELISTED")))),
      );
    }
    // The generated dataset has line items under parents that state an amount: the case at stake.
    if (dataset === "generated") expect(parents.some((p) => p.amount !== null)).toBe(true);
  });

  it("aggregates each department's list in one statement for all departments", async () => {
    const query = (n: number, withAggregate: boolean) =>
      `{ departments(first: ${n}) { nodes { slug municipality { code } projects(first: 1, where: { hasAmount: true }) { totalCount ${withAggregate ? aggregateSelection : ""} } } } }`;
    const statements = async (q: string) => {
      f.t.database.statements.count = 0;
      const { body } = (await f.t.graphql(q)) as Json;
      expect(body.errors).toBeUndefined();
      return { count: f.t.database.statements.count, body };
    };
    const all = await statements(query(100, true));
    const few = await statements(query(2, true));
    const none = await statements(query(100, false));
    expect(all.count).toBe(few.count);
    expect(all.count - none.count).toBe(1);
    for (const d of all.body.data.departments.nodes) {
      const expected = spendingOf((p) => p.municipalityCode === d.municipality.code && p.departmentSlug === d.slug && p.amount !== null);
      expect(d.projects.aggregate).toEqual(asReturned(aggregateOf(expected)));
    }
  });

  const spendingQuery = `query($groupBy: [SpendingDimension!]!, $where: ProjectFilter, $inc: Boolean, $first: Int, $after: String, $orderBy: [SpendingOrder!]) {
    spending(groupBy: $groupBy, where: $where, includeRelisted: $inc, first: $first, after: $after, orderBy: $orderBy) {
      totalCount
      nodes { municipality { code } fiscalYear { year } department { slug } flag beneficiaryGroup { slug } count countWithAmount sum { amountThousandYen } }
      pageInfo { hasNextPage endCursor }
    }
  }`;
  async function allBuckets(variables: Record<string, unknown>, pageSize = 100) {
    const nodes: Json[] = [];
    let after: string | null = null;
    for (let guard = 0; guard < 100; guard++) {
      const { body } = (await f.t.graphql(spendingQuery, { ...variables, first: pageSize, after })) as Json;
      expect(body.errors).toBeUndefined();
      nodes.push(...body.data.spending.nodes);
      if (!body.data.spending.pageInfo.hasNextPage) return { nodes, totalCount: body.data.spending.totalCount };
      after = body.data.spending.pageInfo.endCursor;
    }
    throw new Error("too many pages");
  }

  it.each([
    [
      "department",
      ["DEPARTMENT"],
      (p: FlatProject) => [`${p.municipalityCode}/${p.departmentSlug}`],
      (b: Json) => `${b.municipality.code}/${b.department.slug}`,
      false,
    ],
    [
      "fiscal year and flag",
      ["FISCAL_YEAR", "FLAG"],
      (p: FlatProject) => (p.flags.length ? p.flags : ["NONE"]).map((fl) => `${p.fiscalYear}/${fl}`),
      (b: Json) => `${b.fiscalYear.year}/${b.flag ?? "NONE"}`,
      true,
    ],
    [
      "beneficiary group",
      ["BENEFICIARY_GROUP"],
      (p: FlatProject) => (p.groups.size ? [...p.groups].map((g) => `${p.municipalityCode}/${g}`) : ["none"]),
      (b: Json) => (b.beneficiaryGroup ? `${b.municipality.code}/${b.beneficiaryGroup.slug}` : "none"),
      false,
    ],
    [
      "municipality and year",
      ["MUNICIPALITY", "FISCAL_YEAR"],
      (p: FlatProject) => [`${p.municipalityCode}/${p.fiscalYear}`],
      (b: Json) => `${b.municipality.code}/${b.fiscalYear.year}`,
      false,
    ],
  ] as const)("groups spending by %s, largest sum first, paged", async (_name, dimensions, keysOf, keyOfBucket, includeRelisted) => {
    const expected = groupBy(
      spendingOf(() => true, includeRelisted),
      keysOf,
    );
    const { nodes, totalCount } = await allBuckets({ groupBy: dimensions, inc: includeRelisted }, 3);
    expect(totalCount).toBe(expected.size);
    const actual = new Map(nodes.map((b) => [keyOfBucket(b), { count: b.count, countWithAmount: b.countWithAmount, sum: b.sum.amountThousandYen }]));
    expect(actual.size).toBe(nodes.length);
    const want = new Map(
      [...expected].map(([k, ps]) => {
        const a = aggregateOf(ps);
        return [k, { count: a.count, countWithAmount: a.countWithAmount, sum: a.sum }];
      }),
    );
    expect(Object.fromEntries(actual)).toEqual(Object.fromEntries(want));
    const sums = nodes.map((b) => BigInt(b.sum.amountThousandYen));
    for (let i = 1; i < sums.length; i++) expect(sums[i]! <= sums[i - 1]!).toBe(true);
  });

  it("groups spending filtered by where and ordered by key or count", async () => {
    const year = f.projects[0]!.fiscalYear;
    const { nodes } = await allBuckets({
      groupBy: ["DEPARTMENT"],
      where: { fiscalYears: [year], hasAmount: true },
      orderBy: [{ field: "COUNT", direction: "DESC" }],
    });
    const expected = groupBy(
      spendingOf((p) => p.fiscalYear === year && p.amount !== null),
      (p) => [`${p.municipalityCode}/${p.departmentSlug}`],
    );
    expect(nodes.map((b) => `${b.municipality.code}/${b.department.slug}`).sort()).toEqual([...expected.keys()].sort());
    const counts = nodes.map((b) => b.count);
    expect(counts).toEqual([...counts].sort((a, b) => b - a));
    const byKey = await allBuckets({ groupBy: ["FISCAL_YEAR"], orderBy: [{ field: "KEY", direction: "DESC" }] });
    const years = byKey.nodes.map((b) => b.fiscalYear.year);
    expect(years).toEqual([...new Set(f.projects.map((p) => p.fiscalYear))].sort((a, b) => b - a));
  });

  it("computes spending in one statement and refuses more than two dimensions", async () => {
    f.t.database.statements.count = 0;
    const { body } = (await f.t.graphql(`{ spending(groupBy: [FISCAL_YEAR, MUNICIPALITY]) { totalCount nodes { count sum { amountThousandYen } } } }`)) as Json;
    expect(body.errors).toBeUndefined();
    expect(f.t.database.statements.count).toBe(1);
    const three = (await f.t.graphql(`{ spending(groupBy: [FISCAL_YEAR, FLAG, DEPARTMENT]) { totalCount } }`)) as Json;
    expect(three.body.errors[0].extensions.code).toBe("BAD_USER_INPUT");
  });

  it("sums usage figures by ward and by metric, leaving out stated totals and rates", async () => {
    const figures = f.projects
      .flatMap((p) => p.usage.map((u) => ({ ...u, municipalityCode: p.municipalityCode })))
      .filter((u) => !u.isTotal && u.unit !== "PERCENT" && u.unit !== "POINTS");
    const expectTotals = async (groupByDims: string[], keyOf: (u: (typeof figures)[number]) => string, keyOfTotal: (n: Json) => string) => {
      const nodes: Json[] = [];
      let after: string | null = null;
      for (let guard = 0; guard < 100; guard++) {
        const { body } = (await f.t.graphql(
          `query($g: [UsageDimension!]!, $after: String) { usageTotals(groupBy: $g, first: 50, after: $after) { totalCount nodes { municipality { code } ward { code } metric fiscalYear { year } unit count sum } pageInfo { hasNextPage endCursor } } }`,
          { g: groupByDims, after },
        )) as Json;
        expect(body.errors).toBeUndefined();
        nodes.push(...body.data.usageTotals.nodes);
        if (!body.data.usageTotals.pageInfo.hasNextPage) break;
        after = body.data.usageTotals.pageInfo.endCursor;
      }
      const expected = new Map<string, { count: number; sum: string[] }>();
      for (const u of figures) {
        const k = `${keyOf(u)}/${u.unit}`;
        const e = expected.get(k) ?? { count: 0, sum: [] };
        e.count++;
        e.sum.push(u.value);
        expected.set(k, e);
      }
      expect(Object.fromEntries(nodes.map((n) => [`${keyOfTotal(n)}/${n.unit}`, { count: n.count, sum: canonical(n.sum) }]))).toEqual(
        Object.fromEntries([...expected].map(([k, e]) => [k, { count: e.count, sum: sumDecimals(e.sum) }])),
      );
    };
    await expectTotals(
      ["MUNICIPALITY", "WARD"],
      (u) => `${u.municipalityCode}/${u.ward ?? "-"}`,
      (n) => `${n.municipality.code}/${n.ward?.code ?? "-"}`,
    );
    await expectTotals(
      ["METRIC", "FISCAL_YEAR"],
      (u) => `${u.metric}/${u.fiscalYear}`,
      (n) => `${n.metric}/${n.fiscalYear.year}`,
    );
  });

  it("follows a project and its usage metrics across fiscal years with the change from the year before", async () => {
    const latest = Math.max(...f.projects.map((p) => p.fiscalYear));
    const candidates = f.projects.filter((p) => p.fiscalYear === latest).slice(0, 30);
    const { body } = (await f.t.graphql(
      `query($ids: [ID!]!) { nodes(ids: $ids) { ... on Project { seriesKey municipality { code }
        series { fiscalYear { year } amountThousandYen changeThousandYen changeRatio hasPreviousYear project { seriesKey } }
        usageSeries { metric unit ward { code } category points { fiscalYear { year } value change } } } } }`,
      { ids: candidates.map((p) => f.projectIds.get(id(p))) },
    )) as Json;
    expect(body.errors).toBeUndefined();
    let withChange = 0;
    for (const [i, node] of body.data.nodes.entries()) {
      const p = candidates[i]!;
      const years = f.projects.filter((q) => q.municipalityCode === p.municipalityCode && q.key === p.key).sort((a, b) => a.fiscalYear - b.fiscalYear);
      const expected = years.map((q) => {
        const previous = years.find((r) => r.fiscalYear === q.fiscalYear - 1);
        const change = previous && previous.amount !== null && q.amount !== null ? q.amount - previous.amount : null;
        return {
          fiscalYear: { year: q.fiscalYear },
          amountThousandYen: q.amount?.toString() ?? null,
          changeThousandYen: change?.toString() ?? null,
          hasPreviousYear: change !== null,
          project: { seriesKey: p.key },
        };
      });
      expect(node.series.map(({ changeRatio: _r, ...rest }: Json) => rest)).toEqual(expected);
      for (const point of node.series) {
        if (point.changeRatio === null) continue;
        withChange++;
        const previous = BigInt(point.amountThousandYen) - BigInt(point.changeThousandYen);
        expect(Number(point.changeRatio)).toBeCloseTo(Number(point.changeThousandYen) / Number(previous), 4);
      }
      // Usage series: one value per year; the change only where the year before has one.
      for (const s of node.usageSeries) {
        const values = years
          .flatMap((q) => q.usage)
          .filter((u) => u.metric === s.metric && u.unit === s.unit && (u.ward ?? null) === (s.ward?.code ?? null) && u.category === s.category);
        expect(s.points.map((pt: Json) => pt.fiscalYear.year)).toEqual([...new Set(values.map((u) => u.fiscalYear))].sort());
        for (const [j, pt] of s.points.entries()) {
          const before = s.points[j - 1];
          if (before && before.fiscalYear.year === pt.fiscalYear.year - 1)
            expect(canonical(pt.change)).toBe(sumDecimals([pt.value, `-${before.value}`].map((v) => v)));
          else expect(pt.change).toBeNull();
        }
      }
    }
    if (dataset === "generated") expect(withChange).toBeGreaterThan(0);
  });
});
