// A larger dataset generated with a seeded PRNG, in the importer's own format, so it goes
// through the same import path as the real data: two municipalities, three fiscal years,
// series that skip years, line items, flags, huge amounts (sums beyond 2^53), ward figures
// with stated totals, and Japanese names with kana and half-width variants.
import type { DepartmentFile, MunicipalityFile } from "../../packages/server/src/import/format.ts";
import type { DocumentBundle, LoadedDataset } from "../../packages/server/src/import/load.ts";

function prng(seed: number) {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const topics = ["保育", "虐待防止", "里親", "生活保護", "就労", "障がい", "高齢者", "子育て", "相談", "ﾍﾟｱﾚﾝﾄ", "こども", "ひとり親"];
const kinds = ["支援事業", "推進事業", "給付事業", "経費", "センター運営事業"];
const phrases = ["を実施した。", "の相談に応じた。", "を行った。", "のため訪問した。", "ほいくの充実を図った。", "ぺあれんとプログラムを開催した。"];
export const generatedUnits = [
  { key: "HOUSEHOLDS", nameJa: "世帯", nameEn: "households" },
  { key: "PEOPLE", nameJa: "人", nameEn: "people" },
  { key: "CASES", nameJa: "件", nameEn: "cases" },
  { key: "PERCENT", nameJa: "%", nameEn: "percent" },
];
const wards = [
  { key: "CHUO", nameJa: "中央区", nameEn: "Chuo Ward" },
  { key: "HIGASHI", nameJa: "東区", nameEn: "Higashi Ward" },
  { key: "NISHI", nameJa: "西区", nameEn: "Nishi Ward" },
];
const groups = [
  { key: "low-income-households", nameJa: "住民税非課税世帯", nameEn: "Households exempt from resident tax" },
  { key: "public-assistance-households", nameJa: "被保護世帯", nameEn: "Households on public assistance" },
  { key: "children", nameJa: "18歳以下の児童", nameEn: "Children aged 18 or under" },
  { key: "foster-parents", nameJa: "里親", nameEn: "Foster parents" },
];
const metrics = [
  { metric: "consultations", label: "相談件数", labelEn: "Consultations", unit: "CASES" },
  { metric: "users", label: "延べ利用者数", labelEn: "Users (cumulative)", unit: "PEOPLE" },
  { metric: "visit-rate", label: "訪問率", labelEn: "Visit rate", unit: "PERCENT" },
];

export interface GeneratedOptions {
  seed?: number;
  projectsPerDepartment?: number;
}

export function generateDataset(options: GeneratedOptions = {}): LoadedDataset {
  const random = prng(options.seed ?? 20231);
  const pick = <T>(list: readonly T[]) => list[Math.floor(random() * list.length)] as T;
  const perDepartment = options.projectsPerDepartment ?? 24;
  const municipalities: MunicipalityFile[] = [
    { code: "131016", nameJa: "千代田区", nameEn: "Chiyoda City", prefectureJa: "東京都", prefectureEn: "Tokyo", wards: [], beneficiaryGroups: groups },
    { code: "271004", nameJa: "大阪市", nameEn: "Osaka City", prefectureJa: "大阪府", prefectureEn: "Osaka Prefecture", wards, beneficiaryGroups: groups },
  ];
  const bundles: DocumentBundle[] = [];
  for (const municipality of municipalities) {
    for (const year of [2021, 2022, 2023]) {
      const departments = ["welfare", "children", "disability", "elderly"].map((slug, d) => {
        const projects: DepartmentFile["projects"] = [];
        for (let i = 0; i < perDepartment; i++) {
          // Series skip years now and then, so a change is sometimes unknown.
          if (random() < 0.12) continue;
          const topic = pick(topics);
          const amount = random() < 0.1 ? null : d === 0 && i < 3 ? 9_000_000_000_000_000 - i : Math.floor(random() * 5_000_000);
          const flagRoll = random();
          const flags =
            flagRoll < 0.1
              ? ["NEW" as const]
              : flagRoll < 0.2
                ? ["EXPANDED" as const]
                : flagRoll < 0.25
                  ? ["RELISTED" as const]
                  : flagRoll < 0.28
                    ? ["NEW" as const, "EXPANDED" as const]
                    : undefined;
          const ward = municipality.wards?.length && random() < 0.5 ? pick(wards).key : undefined;
          const usage: NonNullable<DepartmentFile["projects"][number]["usage"]> = [];
          const m = pick(metrics);
          if (random() < 0.6)
            usage.push({
              label: m.label,
              labelEn: m.labelEn,
              metric: m.metric,
              value: m.unit === "PERCENT" ? "87.5" : String(Math.floor(random() * 900) + 1),
              unit: m.unit,
              ward,
            });
          if (municipality.wards?.length && random() < 0.3) {
            // A ward breakdown with its stated total.
            const parts = wards.map((w) => ({
              label: `利用者数（${w.nameJa}）`,
              labelEn: `Users (${w.nameEn})`,
              metric: "ward-users",
              value: `${Math.floor(random() * 100)}.5`,
              unit: "PEOPLE",
              ward: w.key,
            }));
            const total = parts.reduce((s, p) => s + Number(p.value), 0).toFixed(1);
            usage.push(...parts, {
              label: "利用者数合計",
              labelEn: "Users in total",
              metric: "ward-users",
              value: total,
              unit: "PEOPLE",
              totalOf: ["ward-users"],
            });
          }
          if (year === 2023 && random() < 0.2) {
            usage.push({
              label: m.label,
              labelEn: m.labelEn,
              metric: m.metric,
              value: String(Math.floor(random() * 900) + 1),
              unit: m.unit === "PERCENT" ? "CASES" : m.unit,
              fiscalYear: 2020,
            });
          }
          const beneficiaries = random() < 0.5 ? [{ group: pick(groups).key, value: String(Math.floor(random() * 5000)), unit: "PEOPLE", ward }] : undefined;
          const lineItems =
            i % 7 === 3
              ? [1, 2].map((n) => ({
                  key: `d${d}-p${i}-item${n}`,
                  nameJa: `${topic}${pick(kinds)}（内訳${n}）`,
                  nameEn: `Line item ${n} of project ${i}`,
                  page: 1,
                  amountThousandYen: Math.floor(random() * 100_000),
                }))
              : undefined;
          projects.push({
            key: `d${d}-p${i}`,
            nameJa: `${topic}${pick(kinds)}${i}`,
            nameEn: `Generated project ${d}-${i}`,
            page: 1,
            amountThousandYen: lineItems && random() < 0.5 ? null : amount,
            ...(flags ? { flags } : {}),
            descriptionJa: `${pick(topics)}${pick(phrases)}${pick(topics)}${pick(phrases)}`,
            ...(usage.length ? { usage } : {}),
            ...(beneficiaries ? { beneficiaries } : {}),
            ...(lineItems ? { lineItems } : {}),
          });
        }
        const data: DepartmentFile = {
          department: { key: slug, nameJa: ["福祉政策課", "こども政策課", "障がい福祉課", "高齢福祉課"][d]!, nameEn: `${slug} division` },
          projects,
        };
        return { file: `${municipality.code}/${year}/${d + 1}-${slug}.yaml`, order: d + 1, data };
      });
      bundles.push({
        dir: `${municipality.code}/${year}`,
        municipality,
        document: {
          key: `welfare-report-${year}`,
          titleJa: `${year}年度 福祉事業報告`,
          titleEn: `Welfare report ${year}`,
          fiscalYear: year,
          eraLabel: `令和${year - 2018}年度`,
          pageCount: 10,
        },
        departments,
      });
    }
  }
  return { units: generatedUnits, bundles };
}
