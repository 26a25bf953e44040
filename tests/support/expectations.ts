// Expectations computed in JavaScript from the dataset files (or a generated dataset), never
// from the SQL under test: a flat list of projects, filters, orderings and sums over it.
import type { LoadedDataset } from "../../packages/server/src/import/load.ts";

export interface FlatProject {
  municipalityCode: string;
  fiscalYear: number;
  key: string;
  departmentSlug: string;
  nameJa: string;
  nameEn: string;
  descriptionJa: string | null;
  descriptionEn: string | null;
  amount: bigint | null;
  flags: string[];
  parentKey: string | null;
  groups: Set<string>;
  usageWards: Set<string>;
  usageMetrics: Set<string>;
  usage: Array<{
    metric: string;
    label: string;
    labelEn: string;
    unit: string;
    ward: string | null;
    fiscalYear: number;
    value: string;
    isTotal: boolean;
    asOf: string | null;
    category: string | null;
  }>;
  /** Position in its document, 1-based (sort_order). */
  position: number;
  /** Order of its document among all documents imported (ids follow import order). */
  documentIndex: number;
}

/** Every project and line item of the dataset, in import order. */
export function flatten(dataset: LoadedDataset): FlatProject[] {
  const out: FlatProject[] = [];
  dataset.bundles.forEach((bundle, documentIndex) => {
    let position = 0;
    for (const dept of bundle.departments) {
      for (const p of dept.data.projects) {
        const add = (item: typeof p, parent: typeof p | null) => {
          const fiscalYear = bundle.document.fiscalYear;
          out.push({
            municipalityCode: bundle.municipality.code,
            fiscalYear,
            key: item.key,
            departmentSlug: dept.data.department.key,
            nameJa: item.nameJa,
            nameEn: item.nameEn,
            descriptionJa: item.descriptionJa ?? null,
            descriptionEn: item.descriptionEn ?? null,
            amount: item.amountThousandYen === null ? null : BigInt(item.amountThousandYen),
            flags: item.flags ?? [],
            parentKey: parent?.key ?? null,
            groups: new Set((item.beneficiaries ?? []).map((b) => b.group)),
            usageWards: new Set((item.usage ?? []).flatMap((u) => (u.ward ? [u.ward] : []))),
            usageMetrics: new Set((item.usage ?? []).map((u) => u.metric)),
            usage: (item.usage ?? []).map((u) => ({
              metric: u.metric,
              label: u.label,
              labelEn: u.labelEn,
              unit: u.unit,
              ward: u.ward ?? null,
              fiscalYear: u.fiscalYear ?? fiscalYear,
              value: u.value,
              isTotal: u.totalOf !== undefined,
              asOf: u.asOf ?? null,
              category: u.category ?? null,
            })),
            position: ++position,
            documentIndex,
          });
        };
        add(p, null);
        for (const item of p.lineItems ?? []) add(item, p);
      }
    }
  });
  return out;
}

export const id = (p: { fiscalYear: number; key: string; municipalityCode?: string }) => `${p.municipalityCode ?? ""}/${p.fiscalYear}/${p.key}`;

/**
 * The projects of a list whose amounts add up without double counting: no re-listed one, and
 * no line item whose parent, stating an amount, is in the same list.
 */
export function countedOnce(list: FlatProject[], includeRelisted = false): FlatProject[] {
  const kept = list.filter((p) => includeRelisted || !p.flags.includes("RELISTED"));
  const withAmount = new Set(kept.filter((p) => p.amount !== null).map((p) => id(p)));
  return kept.filter((p) => p.parentKey === null || !withAmount.has(id({ ...p, key: p.parentKey })));
}

export function aggregateOf(projects: FlatProject[]) {
  const amounts = projects.flatMap((p) => (p.amount === null ? [] : [p.amount]));
  const sum = amounts.reduce((a, b) => a + b, 0n);
  return {
    count: projects.length,
    countWithAmount: amounts.length,
    sum: sum.toString(),
    avg: amounts.length ? roundedQuotient(sum * 1000n, BigInt(amounts.length)) : null,
    min: amounts.length ? amounts.reduce((a, b) => (b < a ? b : a)).toString() : null,
    max: amounts.length ? amounts.reduce((a, b) => (b > a ? b : a)).toString() : null,
  };
}

/** numerator / denominator / 1000 rounded half up, as decimal text with 3 places. */
function roundedQuotient(numerator: bigint, denominator: bigint): string {
  const q = (numerator * 2n + denominator) / (2n * denominator);
  const digits = q.toString().padStart(4, "0");
  return `${digits.slice(0, -3)}.${digits.slice(-3)}`;
}

/** Code point order, as PostgreSQL compares text in a C.UTF-8 collation. */
export function compareText(a: string, b: string): number {
  const x = [...a].map((c) => c.codePointAt(0)!);
  const y = [...b].map((c) => c.codePointAt(0)!);
  for (let i = 0; i < Math.min(x.length, y.length); i++) if (x[i] !== y[i]) return x[i]! - y[i]!;
  return x.length - y.length;
}

/** Written here again, not imported: NFKC, hiragana → katakana, lower case. */
export function fold(text: string): string {
  return [...text.normalize("NFKC")]
    .map((c) => {
      const code = c.codePointAt(0)!;
      return (code >= 0x3041 && code <= 0x3096) || code === 0x309d || code === 0x309e ? String.fromCodePoint(code + 0x60) : c;
    })
    .join("")
    .toLowerCase();
}

/** Every space-separated word occurs in the folded name or description (the search rule). */
export function textMatches(p: FlatProject, query: string): boolean {
  const text = fold([p.nameJa, p.descriptionJa ?? "", p.nameEn, p.descriptionEn ?? ""].join(" "));
  return fold(query)
    .split(/\s+/u)
    .filter(Boolean)
    .every((t) => text.includes(t));
}
