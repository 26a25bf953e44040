// The published data format: one zod schema is both the importer's validator and the source
// of the JSON Schema in docs/ (see json-schema.ts).
import { z } from "zod";

export const key = z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/, "must be kebab-case ASCII (a-z, 0-9, -)");
const upperKey = z.string().regex(/^[A-Z][A-Z0-9_]*$/, "must be SCREAMING_CASE ASCII");
const textJa = z.string().trim().min(1);
const textEn = z.string().trim().min(1);
export const page = z.number().int().positive();
const fiscalYear = z.number().int().min(1868).max(2200);

/** Exact decimal as written: YAML numbers are accepted, and strings keep precision. */
export const decimal = z
  .union([z.number(), z.string()])
  .transform((value) => (typeof value === "number" ? String(value) : value.trim()))
  .pipe(z.string().regex(/^\d+(\.\d+)?$/, "must be a non-negative decimal number such as 1248 or 99.1"));

/** Month or day precision, as the source states it: 令和6年3月時点 → "2024-03". */
const asOf = z.string().regex(/^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$/, "must be YYYY, YYYY-MM or YYYY-MM-DD");

const figureBase = {
  value: decimal,
  unit: upperKey.describe("a key of data/units.yaml"),
  ward: upperKey.optional().describe("a ward key of the municipality file"),
  fiscalYear: fiscalYear.optional().describe("only when the figure is about another fiscal year"),
  asOf: asOf.optional(),
  page: page.optional().describe("defaults to the project's page"),
  note: z.string().trim().min(1).optional().describe("qualifier as printed, in Japanese"),
  noteEn: z.string().trim().min(1).optional(),
};

export const beneficiaryFigure = z.strictObject({
  group: key.describe("a beneficiary group key"),
  ...figureBase,
  totalOf: z.array(key).min(1).optional().describe("a total the source states: it must equal the sum of this project's figures of these groups"),
});

export const usageFigure = z.strictObject({
  label: textJa.describe("the label as printed (Japanese)"),
  labelEn: textEn,
  metric: key.describe("stable key of what is counted, shared across years and cities"),
  category: textJa.optional().describe("the sub-table or heading the figure sits under"),
  categoryEn: textEn.optional(),
  ...figureBase,
  totalOf: z.array(key).min(1).optional().describe("a total the source states: it must equal the sum of this project's figures of these metrics"),
});

export const projectFlag = z.enum(["NEW", "EXPANDED", "RELISTED"]);

const projectFields = {
  key: key.describe("stable across fiscal years: the series key"),
  nameJa: textJa,
  nameEn: textEn,
  page,
  amountThousandYen: z
    .number({
      error: (issue) =>
        issue.input === undefined
          ? "required: the 実績額 in thousand yen, or null where the source shows ー"
          : `must be a number of thousand yen, or null where the source shows ー (got ${JSON.stringify(issue.input)})`,
    })
    .int("must be a whole number of thousand yen")
    .nonnegative("must not be negative: 実績額 is zero or more thousand yen")
    .max(Number.MAX_SAFE_INTEGER)
    .nullable()
    .describe("実績額 in thousand yen; null where the source shows ー"),
  amountNote: z.string().trim().min(1).optional().describe("e.g. 扶助費のみ"),
  flags: z.array(projectFlag).optional(),
  descriptionJa: z.string().trim().optional(),
  descriptionEn: z.string().trim().optional(),
  beneficiaries: z.array(beneficiaryFigure).optional(),
  usage: z.array(usageFigure).optional(),
};

export const lineItem = z.strictObject(projectFields);
export const project = z.strictObject({ ...projectFields, lineItems: z.array(lineItem).optional() });

export const departmentHeader = z.strictObject(
  { key, nameJa: textJa, nameEn: textEn },
  {
    error: (issue) =>
      issue.input === undefined
        ? "missing: every department file starts with department: { key, nameJa, nameEn }, the department (所属) its projects belong to"
        : undefined,
  },
);

export const beneficiaryGroup = z.strictObject({ key, nameJa: textJa, nameEn: textEn });

/** One department's pages of one document: data/<code>/<year>/<nn>-<department>.yaml */
export const departmentFile = z.strictObject({
  department: departmentHeader,
  beneficiaryGroups: z.array(beneficiaryGroup).optional(),
  projects: z.array(project).min(1),
});

/** data/<code>/<year>/document.yaml */
export const documentFile = z.strictObject({
  key,
  titleJa: textJa,
  titleEn: textEn,
  fiscalYear,
  eraLabel: textJa.describe("e.g. 令和5年度"),
  pageCount: page,
  sourceFile: z.string().min(1).optional(),
  sourceUrl: z.url().optional(),
  publisherJa: textJa.optional(),
});

export const ward = z.strictObject({ key: upperKey, nameJa: textJa, nameEn: textEn });

/** data/<code>/municipality.yaml */
export const municipalityFile = z.strictObject({
  code: z.string().regex(/^\d{6}$/, "must be the 6-digit 全国地方公共団体コード"),
  nameJa: textJa,
  nameEn: textEn,
  prefectureJa: textJa,
  prefectureEn: textEn,
  wards: z.array(ward).optional(),
  beneficiaryGroups: z.array(beneficiaryGroup).optional(),
});

/** data/units.yaml */
export const unit = z.strictObject({ key: upperKey, nameJa: textJa, nameEn: textEn });
export const unitsFile = z.array(unit);

export type DepartmentFile = z.infer<typeof departmentFile>;
export type DocumentFile = z.infer<typeof documentFile>;
export type MunicipalityFile = z.infer<typeof municipalityFile>;
export type ProjectInput = z.infer<typeof project>;
export type LineItemInput = z.infer<typeof lineItem>;
export type BeneficiaryFigureInput = z.infer<typeof beneficiaryFigure>;
export type UsageFigureInput = z.infer<typeof usageFigure>;
export type UnitsFile = z.infer<typeof unitsFile>;
