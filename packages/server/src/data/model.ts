// Domain objects handed to the API layer, and their explicit mapping from rows.
import type { Selectable } from "kysely";
import type {
  BeneficiaryCountTable,
  BeneficiaryGroupTable,
  DepartmentTable,
  FiscalYearTable,
  MunicipalityTable,
  ProjectTable,
  SourceDocumentTable,
  UnitTable,
  UsageFigureTable,
  WardTable,
} from "../db/types.ts";
import { keyOf } from "./keys.ts";

export type ProjectFlag = "NEW" | "EXPANDED" | "RELISTED";

export interface Municipality {
  code: string;
  code5: string;
  nameJa: string;
  nameEn: string;
  prefectureJa: string;
  prefectureEn: string;
}

export interface FiscalYear {
  year: number;
  eraLabel: string;
  startsOn: string;
  endsOn: string;
}

export interface Unit {
  key: string;
  nameJa: string;
  nameEn: string;
}

interface Keyed {
  /** "municipality:id", the key loaders and global IDs use. */
  key: string;
  municipalityCode: string;
  id: string;
}

export interface Ward extends Keyed {
  code: string;
  nameJa: string;
  nameEn: string;
  sortOrder: number;
}

export interface SourceDocument extends Keyed {
  slug: string;
  titleJa: string;
  titleEn: string;
  fiscalYear: number;
  pageCount: number;
  sourceFile: string | null;
  sourceUrl: string | null;
  publisherJa: string | null;
  importedAt: Date;
}

export interface Department extends Keyed {
  slug: string;
  nameJa: string;
  nameEn: string;
  sortOrder: number;
}

export interface BeneficiaryGroup extends Keyed {
  slug: string;
  nameJa: string;
  nameEn: string;
}

export interface Project extends Keyed {
  documentKey: string;
  departmentKey: string;
  parentKey: string | null;
  fiscalYear: number;
  seriesKey: string;
  nameJa: string;
  nameEn: string;
  descriptionJa: string | null;
  descriptionEn: string | null;
  amountThousandYen: string | null;
  amountNote: string | null;
  flags: ProjectFlag[];
  page: number;
}

interface Figure extends Keyed {
  projectKey: string;
  documentKey: string;
  wardKey: string | null;
  value: string;
  unit: string;
  fiscalYear: number;
  asOf: string | null;
  isTotal: boolean;
  noteJa: string | null;
  noteEn: string | null;
  page: number;
}

export interface BeneficiaryCount extends Figure {
  groupKey: string;
}

export interface UsageFigure extends Figure {
  metric: string;
  labelJa: string;
  labelEn: string;
  categoryJa: string | null;
  categoryEn: string | null;
}

/** The key, municipality and id every municipal row shares. */
const keyed = (r: { municipality_code: string; id: string | number | bigint }): Keyed => ({
  key: keyOf(r.municipality_code, String(r.id)),
  municipalityCode: r.municipality_code,
  id: String(r.id),
});

const ref = (code: string, id: string | number | bigint | null) => (id === null ? null : keyOf(code, String(id)));

export const toMunicipality = (r: Selectable<MunicipalityTable>): Municipality => ({
  code: r.code,
  code5: r.code5,
  nameJa: r.name_ja,
  nameEn: r.name_en,
  prefectureJa: r.prefecture_ja,
  prefectureEn: r.prefecture_en,
});

const isoDate = (value: string | Date) => (value instanceof Date ? value.toISOString().slice(0, 10) : String(value).slice(0, 10));

export const toFiscalYear = (r: Selectable<FiscalYearTable>): FiscalYear => ({
  year: r.year,
  eraLabel: r.era_label,
  startsOn: isoDate(r.starts_on),
  endsOn: isoDate(r.ends_on),
});

export const toUnit = (r: Selectable<UnitTable>): Unit => ({ key: r.key, nameJa: r.name_ja, nameEn: r.name_en });

export const toWard = (r: Selectable<WardTable>): Ward => ({
  ...keyed(r),
  code: r.key,
  nameJa: r.name_ja,
  nameEn: r.name_en,
  sortOrder: r.sort_order,
});

export const toSourceDocument = (r: Selectable<SourceDocumentTable>): SourceDocument => ({
  ...keyed(r),
  slug: r.key,
  titleJa: r.title_ja,
  titleEn: r.title_en,
  fiscalYear: r.fiscal_year,
  pageCount: r.page_count,
  sourceFile: r.source_file,
  sourceUrl: r.source_url,
  publisherJa: r.publisher_ja,
  importedAt: new Date(r.imported_at),
});

export const toDepartment = (r: Selectable<DepartmentTable>): Department => ({
  ...keyed(r),
  slug: r.key,
  nameJa: r.name_ja,
  nameEn: r.name_en,
  sortOrder: r.sort_order,
});

export const toBeneficiaryGroup = (r: Selectable<BeneficiaryGroupTable>): BeneficiaryGroup => ({
  ...keyed(r),
  slug: r.key,
  nameJa: r.name_ja,
  nameEn: r.name_en,
});

export const toProject = (r: Selectable<ProjectTable>): Project => ({
  ...keyed(r),
  documentKey: keyOf(r.municipality_code, String(r.document_id)),
  departmentKey: keyOf(r.municipality_code, String(r.department_id)),
  parentKey: ref(r.municipality_code, r.parent_id),
  fiscalYear: r.fiscal_year,
  seriesKey: r.key,
  nameJa: r.name_ja,
  nameEn: r.name_en,
  descriptionJa: r.description_ja,
  descriptionEn: r.description_en,
  amountThousandYen: r.amount_thousand_yen === null ? null : String(r.amount_thousand_yen),
  amountNote: r.amount_note,
  flags: [...(r.is_new ? (["NEW"] as const) : []), ...(r.is_expanded ? (["EXPANDED"] as const) : []), ...(r.is_relisted ? (["RELISTED"] as const) : [])],
  page: r.page,
});

const toFigure = (r: Selectable<BeneficiaryCountTable> | Selectable<UsageFigureTable>): Figure => ({
  ...keyed(r),
  projectKey: keyOf(r.municipality_code, String(r.project_id)),
  documentKey: keyOf(r.municipality_code, String(r.document_id)),
  wardKey: ref(r.municipality_code, r.ward_id),
  value: String(r.value),
  unit: r.unit,
  fiscalYear: r.fiscal_year,
  asOf: r.as_of,
  isTotal: r.is_total,
  noteJa: r.note_ja,
  noteEn: r.note_en,
  page: r.page,
});

export const toBeneficiaryCount = (r: Selectable<BeneficiaryCountTable>): BeneficiaryCount => ({
  ...toFigure(r),
  groupKey: keyOf(r.municipality_code, String(r.group_id)),
});

export const toUsageFigure = (r: Selectable<UsageFigureTable>): UsageFigure => ({
  ...toFigure(r),
  metric: r.metric,
  labelJa: r.label_ja,
  labelEn: r.label_en,
  categoryJa: r.category_ja,
  categoryEn: r.category_en,
});
