// What a client may ask of a list of projects: a typed, allow-listed filter (every field
// narrows, fields combine with AND) and an ordering of a few keys with a stable tie-break.
import { type Compilable, type RawBuilder, sql } from "kysely";
import { inKeys } from "./keys.ts";
import type { ProjectFlag } from "./model.ts";
import type { SortTerm } from "./pagination.ts";
import { checkListLength, checkWholeNumber, QueryInputError } from "./query-input.ts";
import { matchesTerms, searchable, searchTerms } from "./search-text.ts";

export interface AmountRange {
  gte?: string | null | undefined;
  lte?: string | null | undefined;
}

/** Absent (or null) fields do not filter; an empty list matches nothing. */
export interface ProjectFilter {
  text?: string | null | undefined;
  municipalityCodes?: readonly string[] | null | undefined;
  fiscalYears?: readonly number[] | null | undefined;
  departmentKeys?: readonly string[] | null | undefined;
  amountThousandYen?: AmountRange | null | undefined;
  hasAmount?: boolean | null | undefined;
  /** Has at least one of these flags. */
  flags?: readonly ProjectFlag[] | null | undefined;
  /** Has none of these flags. */
  withoutFlags?: readonly ProjectFlag[] | null | undefined;
  beneficiaryGroupKeys?: readonly string[] | null | undefined;
  hasUsageInWardKeys?: readonly string[] | null | undefined;
  usageMetrics?: readonly string[] | null | undefined;
  isLineItem?: boolean | null | undefined;
  parentKeys?: readonly string[] | null | undefined;
  seriesKeys?: readonly string[] | null | undefined;
}

const flagColumn: Record<ProjectFlag, string> = { NEW: "project.is_new", EXPANDED: "project.is_expanded", RELISTED: "project.is_relisted" };

function anyFlag(flags: readonly ProjectFlag[]): RawBuilder<boolean> {
  if (flags.length === 0) return sql<boolean>`false`;
  return sql<boolean>`(${sql.join(
    flags.map((f) => sql.ref(flagColumn[f])),
    sql` or `,
  )})`;
}

/** The filter's conditions on `project`, as one SQL boolean (true when nothing filters). */
export function projectConditions(filter: ProjectFilter | null | undefined, path: string): RawBuilder<boolean> {
  const f = filter ?? {};
  const at = (field: string) => `${path}.${field}`;
  const conditions: RawBuilder<boolean>[] = [];
  for (const [field, values] of Object.entries(f)) if (Array.isArray(values)) checkListLength(values, at(field));

  if (f.text != null) conditions.push(matchesTerms(searchable.project, searchTerms(f.text, at("text"))));
  if (f.municipalityCodes) conditions.push(inList(sql`project.municipality_code`, f.municipalityCodes));
  if (f.fiscalYears) conditions.push(inList(sql`project.fiscal_year`, f.fiscalYears));
  if (f.departmentKeys) conditions.push(inKeys("project.municipality_code", "project.department_id", f.departmentKeys));
  if (f.amountThousandYen) {
    const { gte, lte } = f.amountThousandYen;
    if (gte != null) conditions.push(sql<boolean>`project.amount_thousand_yen >= ${checkWholeNumber(gte, at("amountThousandYen.gte"))}::bigint`);
    if (lte != null) conditions.push(sql<boolean>`project.amount_thousand_yen <= ${checkWholeNumber(lte, at("amountThousandYen.lte"))}::bigint`);
    if (gte != null && lte != null && BigInt(gte) > BigInt(lte)) {
      throw new QueryInputError(`"${at("amountThousandYen")}" has gte ${gte} above lte ${lte}; no amount can match`, at("amountThousandYen"));
    }
  }
  if (f.hasAmount != null)
    conditions.push(f.hasAmount ? sql<boolean>`project.amount_thousand_yen is not null` : sql<boolean>`project.amount_thousand_yen is null`);
  if (f.flags) conditions.push(anyFlag(f.flags));
  if (f.withoutFlags) conditions.push(sql<boolean>`not ${anyFlag(f.withoutFlags)}`);
  if (f.beneficiaryGroupKeys) {
    conditions.push(sql<boolean>`exists (select 1 from beneficiary_count bc
      where bc.municipality_code = project.municipality_code and bc.project_id = project.id
        and ${inKeys("bc.municipality_code", "bc.group_id", f.beneficiaryGroupKeys)})`);
  }
  if (f.hasUsageInWardKeys) {
    conditions.push(sql<boolean>`exists (select 1 from usage_figure uf
      where uf.municipality_code = project.municipality_code and uf.project_id = project.id
        and ${inKeys("uf.municipality_code", "uf.ward_id", f.hasUsageInWardKeys)})`);
  }
  if (f.usageMetrics) {
    conditions.push(sql<boolean>`exists (select 1 from usage_figure uf
      where uf.municipality_code = project.municipality_code and uf.project_id = project.id
        and ${inList(sql`uf.metric`, f.usageMetrics)})`);
  }
  if (f.isLineItem != null) conditions.push(f.isLineItem ? sql<boolean>`project.parent_id is not null` : sql<boolean>`project.parent_id is null`);
  if (f.parentKeys) conditions.push(inKeys("project.municipality_code", "project.parent_id", f.parentKeys));
  if (f.seriesKeys) conditions.push(inList(sql`project.key`, f.seriesKeys));
  return conditions.length ? sql<boolean>`(${sql.join(conditions, sql` and `)})` : sql<boolean>`true`;
}

export function inList(expression: RawBuilder<unknown>, values: readonly (string | number)[]): RawBuilder<boolean> {
  if (values.length === 0) return sql<boolean>`false`;
  return sql<boolean>`${expression} in (${sql.join(values.map((v) => sql`${v}`))})`;
}

/** Re-listed projects (再掲) repeat an amount shown where they are first listed. */
export function notRelisted(includeRelisted: boolean): RawBuilder<boolean> {
  return includeRelisted ? sql<boolean>`true` : sql<boolean>`not project.is_relisted`;
}

/**
 * Of the projects being added up (`row`), those that count once: a line item's amount is part
 * of its parent's, so it is left out when its parent, stating an amount, is added up in the
 * same list. `parentsWithAmount` is the same set of projects narrowed to those with an amount
 * (selecting municipality_code, id and `listColumn` when rows are grouped into lists). A list
 * of line items alone (a project's lineItems, isLineItem: true) adds them up.
 *
 * Written as NOT IN over the (few) line items of such parents: PostgreSQL hashes that small
 * set once and the scan stays parallel. A correlated NOT EXISTS was costed so high that it
 * triggered JIT compilation and a serial plan, and a CTE of the set read twice was 4× slower
 * at a million projects.
 */
export function countedOnce(row: string, parentsWithAmount: Compilable, listColumn?: string): RawBuilder<boolean> {
  const ofRow = [...(listColumn ? [sql.ref(`${row}.${listColumn}`)] : []), sql.ref(`${row}.municipality_code`), sql.ref(`${row}.id`)];
  const ofItem = [...(listColumn ? [sql.ref(`whole.${listColumn}`)] : []), sql`item.municipality_code`, sql`item.id`];
  return sql<boolean>`(${sql.join(ofRow)}) not in (
    select ${sql.join(ofItem)} from project item
    join (${parentsWithAmount}) whole on whole.municipality_code = item.municipality_code and whole.id = item.parent_id
    where item.parent_id is not null)`;
}

export type ProjectOrderField = "AMOUNT" | "NAME" | "FISCAL_YEAR" | "REPORT_ORDER";
export type SortDirection = "asc" | "desc";

export interface ProjectOrder {
  field: ProjectOrderField;
  direction: SortDirection;
}

const MAX_ORDER_KEYS = 4;

function termsOf({ field, direction }: ProjectOrder): SortTerm[] {
  switch (field) {
    // Missing amounts sort last either way: amounts are never negative, nor above int8's top.
    case "AMOUNT":
      return [
        direction === "desc"
          ? { expression: sql`coalesce(project.amount_thousand_yen, -1)`, direction, kind: "integer", name: "amount" }
          : { expression: sql`coalesce(project.amount_thousand_yen, 9223372036854775807)`, direction, kind: "integer", name: "amount" },
      ];
    case "NAME":
      // Byte order of UTF-8 (collate "C"), the same on every database whatever its collation.
      return [{ expression: sql`project.name_ja collate "C"`, direction, kind: "text", name: "name" }];
    case "FISCAL_YEAR":
      return [{ expression: sql`project.fiscal_year`, direction, kind: "integer", name: "fiscalYear" }];
    case "REPORT_ORDER":
      return [
        { expression: sql`project.municipality_code`, direction, kind: "text", name: "municipality" },
        { expression: sql`project.document_id`, direction, kind: "integer", name: "document" },
        { expression: sql`project.sort_order`, direction, kind: "integer", name: "sortOrder" },
      ];
  }
}

/**
 * The sort terms for an orderBy list, closed by (municipality, id) in the direction of the
 * last key so that the order is total and, when all keys run one way, index-seekable.
 * Undefined when no order was asked for (the list's own default applies).
 */
export function projectOrder(orderBy: readonly ProjectOrder[] | null | undefined, path: string): SortTerm[] | undefined {
  if (!orderBy || orderBy.length === 0) return undefined;
  if (orderBy.length > MAX_ORDER_KEYS) throw new QueryInputError(`"${path}" has ${orderBy.length} keys; use at most ${MAX_ORDER_KEYS}`, path);
  const fields = new Set<string>();
  for (const o of orderBy) {
    if (fields.has(o.field)) throw new QueryInputError(`"${path}" names ${o.field} twice; name each field once`, path);
    fields.add(o.field);
  }
  const last = orderBy.at(-1)!.direction;
  return [
    ...orderBy.flatMap(termsOf),
    { expression: sql`project.municipality_code`, direction: last, kind: "text", name: "tieMunicipality" },
    { expression: sql`project.id`, direction: last, kind: "integer", name: "id" },
  ];
}
