// Spending by department in one fiscal year: `spending(groupBy: [DEPARTMENT])`, summed by the
// database, after `spending(groupBy: [FISCAL_YEAR])` lists the years that have any.
import { SortDirection, SpendingDimension, SpendingOrderField } from "@welfare-graph/sdk";
import { Bar, BarChart, CartesianGrid, LabelList, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { client, useQuery } from "../api.ts";
import { links } from "../app.tsx";
import { formatCompactYen, formatInteger } from "../format.ts";
import { useLanguage } from "../i18n.ts";
import { Loaded } from "../ui.tsx";
import { useMediaQuery } from "../use-media-query.ts";

export function OverviewPage({ year }: { year?: number }) {
  const { t } = useLanguage();
  // The years that have spending, then the departments' spending in the chosen one.
  const years = useQuery("spending-by-year", (signal) =>
    client.spending(
      { groupBy: [SpendingDimension.FISCAL_YEAR], orderBy: [{ field: SpendingOrderField.KEY, direction: SortDirection.DESC }], first: 100 },
      { signal },
    ),
  );
  return (
    <>
      <h1>{t.spendingByDepartment}</h1>
      <Loaded query={years}>
        {({ spending }) => {
          const available = spending.nodes.flatMap((node) => (node.fiscalYear ? [node.fiscalYear] : []));
          const chosen = available.find((fiscalYear) => fiscalYear.year === year) ?? available[0];
          return chosen ? (
            <>
              <YearChoice years={available} chosen={chosen.year} />
              <DepartmentSpendingOf year={chosen.year} />
            </>
          ) : (
            <p>{t.noResults}</p>
          );
        }}
      </Loaded>
    </>
  );
}

function YearChoice({ years, chosen }: { years: ReadonlyArray<{ year: number; eraLabel: string }>; chosen: number }) {
  const { t } = useLanguage();
  return (
    <p className="year-choice">
      <label htmlFor="fiscal-year">{t.fiscalYear}</label>{" "}
      <select id="fiscal-year" value={chosen} onChange={(event) => (window.location.hash = links.overview(Number(event.target.value)))}>
        {years.map((fiscalYear) => (
          <option key={fiscalYear.year} value={fiscalYear.year}>
            {t.fiscalYearName(fiscalYear.year, fiscalYear.eraLabel)}
          </option>
        ))}
      </select>
    </p>
  );
}

function DepartmentSpendingOf({ year }: { year: number }) {
  const query = useQuery(`spending-by-department:${year}`, (signal) =>
    client.spending({ groupBy: [SpendingDimension.DEPARTMENT], where: { fiscalYears: [year] }, first: 100 }, { signal }),
  );
  return <Loaded query={query}>{({ spending }) => <DepartmentSpending rows={spending.nodes} year={year} />}</Loaded>;
}

interface Row {
  count: number;
  sum: { amountThousandYen?: string | null; amountYen?: string | null };
  department?: { id: string; name: string; nameEn: string } | null;
}

function DepartmentSpending({ rows, year }: { rows: readonly Row[]; year: number }) {
  const { t, language, pick } = useLanguage();
  const narrow = useMediaQuery("(max-width: 640px)");
  const reducedMotion = useMediaQuery("(prefers-reduced-motion: reduce)");
  const departments = rows.flatMap((row) => (row.department ? [{ ...row, department: row.department }] : []));
  // Exact totals with BigInt; the chart alone uses (float) numbers, for bar lengths.
  const totalThousandYen = departments.reduce((sum, row) => sum + BigInt(row.sum.amountThousandYen ?? 0), 0n).toString();
  const chartData = departments.map((row) => ({
    id: row.department.id,
    name: pick(row.department.name, row.department.nameEn),
    yen: Number(row.sum.amountYen ?? 0),
  }));
  const labelWidth = narrow ? 110 : language === "en" ? 260 : 200;
  const shorten = (name: string) => {
    const max = narrow ? (language === "en" ? 16 : 8) : language === "en" ? 40 : 16;
    return name.length > max ? `${name.slice(0, max - 1)}…` : name;
  };
  const open = (id: string) => {
    window.location.hash = links.department(id, year);
  };
  return (
    <>
      <p className="total" data-testid="grand-total">
        {t.total}: <strong>{formatInteger(totalThousandYen, language)}</strong> {t.thousandYenSuffix} ({formatInteger(`${totalThousandYen}000`, language)}{" "}
        {t.yenSuffix})
      </p>
      <figure className="chart">
        <figcaption>{t.chartHint}</figcaption>
        <div className="chart-box" style={{ height: chartData.length * (narrow ? 30 : 34) + 60 }}>
          <ResponsiveContainer width="100%" height="100%">
            <BarChart data={chartData} layout="vertical" margin={{ top: 8, right: narrow ? 44 : 56, bottom: 8, left: 8 }}>
              <CartesianGrid horizontal={false} />
              <XAxis type="number" tickFormatter={(value: number) => formatCompactYen(value, language)} />
              <YAxis type="category" dataKey="name" width={labelWidth} interval={0} tick={{ fontSize: narrow ? 11 : 13 }} tickFormatter={shorten} />
              <Tooltip formatter={(value) => [`${formatInteger(String(value), language)} ${t.yenSuffix}`, t.amountYen]} />
              <Bar
                dataKey="yen"
                name={t.amountYen}
                fill="#2f6fb0"
                cursor="pointer"
                isAnimationActive={!reducedMotion}
                onClick={(entry: { payload?: { id?: string } }) => entry.payload?.id && open(entry.payload.id)}
              >
                <LabelList dataKey="yen" position="right" fontSize={narrow ? 10 : 12} formatter={(value) => formatCompactYen(Number(value), language)} />
              </Bar>
            </BarChart>
          </ResponsiveContainer>
        </div>
      </figure>
      <div className="table-scroll">
        <table>
          <caption>{t.spendingByDepartment}</caption>
          <thead>
            <tr>
              <th scope="col">{t.department}</th>
              <th scope="col" className="number">
                {t.projectCount}
              </th>
              <th scope="col" className="number">
                {t.amountThousandYen}
              </th>
              <th scope="col" className="number">
                {t.amountYen}
              </th>
            </tr>
          </thead>
          <tbody>
            {departments.map((row) => (
              <tr key={row.department.id}>
                <th scope="row">
                  <a href={links.department(row.department.id, year)}>{pick(row.department.name, row.department.nameEn)}</a>
                </th>
                <td className="number">{row.count}</td>
                <td className="number">{row.sum.amountThousandYen == null ? "—" : formatInteger(row.sum.amountThousandYen, language)}</td>
                <td className="number">{row.sum.amountYen == null ? "—" : formatInteger(row.sum.amountYen, language)}</td>
              </tr>
            ))}
          </tbody>
          <tfoot>
            <tr>
              <th scope="row">{t.total}</th>
              <td className="number">{departments.reduce((n, row) => n + row.count, 0)}</td>
              <td className="number">{formatInteger(totalThousandYen, language)}</td>
              <td className="number">{formatInteger(`${totalThousandYen}000`, language)}</td>
            </tr>
          </tfoot>
        </table>
      </div>
    </>
  );
}
