// Series: a project followed across fiscal years by its series key (the data files' project
// key, stable across years), and its usage metrics likewise, with the change from the year
// before. Each is one statement for any number of projects.
import { type Kysely, sql } from "kysely";
import type { Database } from "../db/types.ts";
import { inKeys, keyOf } from "./keys.ts";

export interface SeriesChange {
  /** Difference from the fiscal year just before; null when that year has no value. */
  change: string | null;
  /** change ÷ the previous value, 4 decimals; null when there is no change or the previous value is 0. */
  changeRatio: string | null;
}

export interface ProjectSeriesPoint extends SeriesChange {
  fiscalYear: number;
  projectKey: string;
  amountThousandYen: string | null;
}

export interface UsageSeriesPoint extends SeriesChange {
  fiscalYear: number;
  value: string;
  figureKey: string;
}

export interface UsageSeries {
  metric: string;
  labelJa: string;
  labelEn: string;
  unit: string;
  wardKey: string | null;
  categoryJa: string | null;
  points: UsageSeriesPoint[];
}

// When two documents of one municipality report the same year, the newer document wins.
const changeColumns = (value: string) =>
  sql.raw(`
  case when previous_year = fiscal_year - 1 then (${value} - previous_value)::text end as change,
  case when previous_year = fiscal_year - 1 and previous_value <> 0 then round((${value} - previous_value) / previous_value::numeric, 4)::text end as change_ratio`);

/** Every fiscal year of the series of each project, oldest first. */
export async function projectSeries(db: Kysely<Database>, projectKeys: readonly string[]): Promise<ProjectSeriesPoint[][]> {
  const result = await sql<{
    for_project: string;
    fiscal_year: number;
    municipality_code: string;
    id: string;
    amount: string | null;
    change: string | null;
    change_ratio: string | null;
  }>`
    with wanted as (
      select municipality_code, id, key from project where ${inKeys("municipality_code", "id", projectKeys)}
    ),
    yearly as (
      select distinct on (w.municipality_code, w.id, s.fiscal_year)
        w.municipality_code || ':' || w.id as for_project, s.fiscal_year, s.municipality_code, s.id, s.amount_thousand_yen as amount
      from wanted w join project s on s.municipality_code = w.municipality_code and s.key = w.key
      order by w.municipality_code, w.id, s.fiscal_year, s.document_id desc
    ),
    chained as (
      select *, lag(fiscal_year) over w as previous_year, lag(amount) over w as previous_value
      from yearly window w as (partition by for_project order by fiscal_year)
    )
    select for_project, fiscal_year, municipality_code, id, amount::text, ${changeColumns("amount")}
    from chained order by for_project, fiscal_year`.execute(db);
  const byProject = new Map<string, ProjectSeriesPoint[]>();
  for (const r of result.rows) {
    const points = byProject.get(r.for_project) ?? [];
    points.push({
      fiscalYear: r.fiscal_year,
      projectKey: keyOf(r.municipality_code, String(r.id)),
      amountThousandYen: r.amount,
      change: r.change,
      changeRatio: r.change_ratio,
    });
    byProject.set(r.for_project, points);
  }
  return projectKeys.map((k) => byProject.get(k) ?? []);
}

export interface UsageSeriesFilter {
  metrics?: readonly string[] | null | undefined;
}

/**
 * The usage figures of each project's series, one series per metric, unit, ward and
 * category, one value per fiscal year (including years a report quotes, e.g. R2–R4): the
 * newest document's figure, at its latest as-of date.
 */
export async function usageSeries(db: Kysely<Database>, projectKeys: readonly string[], filter: UsageSeriesFilter = {}): Promise<UsageSeries[][]> {
  const metricCondition = filter.metrics
    ? filter.metrics.length
      ? sql`u.metric in (${sql.join(filter.metrics.map((m) => sql`${m}`))})`
      : sql`false`
    : sql`true`;
  const result = await sql<{
    for_project: string;
    municipality_code: string;
    metric: string;
    unit: string;
    ward_id: string | null;
    category_ja: string | null;
    label_ja: string;
    label_en: string;
    fiscal_year: number;
    figure_id: string;
    value: string;
    change: string | null;
    change_ratio: string | null;
  }>`
    with wanted as (
      select municipality_code, id, key from project where ${inKeys("municipality_code", "id", projectKeys)}
    ),
    yearly as (
      select distinct on (w.municipality_code, w.id, u.metric, u.unit, u.ward_id, u.category_ja, u.fiscal_year)
        w.municipality_code || ':' || w.id as for_project, u.municipality_code, u.metric, u.unit, u.ward_id, u.category_ja,
        u.label_ja, u.label_en, u.fiscal_year, u.id as figure_id, u.value
      from wanted w
      join project s on s.municipality_code = w.municipality_code and s.key = w.key
      join usage_figure u on u.municipality_code = s.municipality_code and u.project_id = s.id
      where ${metricCondition}
      order by w.municipality_code, w.id, u.metric, u.unit, u.ward_id, u.category_ja, u.fiscal_year,
        u.document_id desc, u.as_of desc nulls last, u.is_total desc, u.id desc
    ),
    chained as (
      select *, lag(fiscal_year) over w as previous_year, lag(value) over w as previous_value
      from yearly window w as (partition by for_project, metric, unit, ward_id, category_ja order by fiscal_year)
    )
    select for_project, municipality_code, metric, unit, ward_id, category_ja, label_ja, label_en, fiscal_year, figure_id, value::text, ${changeColumns("value")}
    from chained order by for_project, metric, unit, ward_id nulls first, category_ja nulls first, fiscal_year`.execute(db);
  const byProject = new Map<string, Map<string, UsageSeries>>();
  for (const r of result.rows) {
    const seriesOfProject = byProject.get(r.for_project) ?? new Map<string, UsageSeries>();
    byProject.set(r.for_project, seriesOfProject);
    const id = JSON.stringify([r.metric, r.unit, r.ward_id, r.category_ja]);
    let series = seriesOfProject.get(id);
    if (!series) {
      series = {
        metric: r.metric,
        labelJa: r.label_ja,
        labelEn: r.label_en,
        unit: r.unit,
        wardKey: r.ward_id === null ? null : keyOf(r.municipality_code, String(r.ward_id)),
        categoryJa: r.category_ja,
        points: [],
      };
      seriesOfProject.set(id, series);
    }
    series.points.push({
      fiscalYear: r.fiscal_year,
      value: r.value,
      figureKey: keyOf(r.municipality_code, String(r.figure_id)),
      change: r.change,
      changeRatio: r.change_ratio,
    });
  }
  return projectKeys.map((k) => [...(byProject.get(k)?.values() ?? [])]);
}
