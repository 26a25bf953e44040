// The database as Kysely sees it. Mirrors migrations/; keep both in step.
import type { ColumnType, Generated } from "kysely";

/** int8 and numeric come back as strings from pg (and are normalized so from PGlite). */
type Int8 = ColumnType<string, string | number | bigint, string | number | bigint>;
type Numeric = ColumnType<string, string | number, string | number>;
type GeneratedId = ColumnType<string, string | number | bigint | undefined, never>;
type ReadOnly<T> = ColumnType<T, never, never>;

export interface UnitTable {
  key: string;
  name_ja: string;
  name_en: string;
}

export interface FiscalYearTable {
  year: number;
  era_label: string;
  starts_on: ReadOnly<string>;
  ends_on: ReadOnly<string>;
}

export interface MunicipalityTable {
  code: string;
  code5: ReadOnly<string>;
  name_ja: string;
  name_en: string;
  prefecture_ja: string;
  prefecture_en: string;
}

export interface WardTable {
  municipality_code: string;
  id: GeneratedId;
  key: string;
  name_ja: string;
  name_en: string;
  sort_order: number;
}

export interface SourceDocumentTable {
  municipality_code: string;
  id: GeneratedId;
  key: string;
  title_ja: string;
  title_en: string;
  fiscal_year: number;
  page_count: number;
  source_file: string | null;
  source_url: string | null;
  publisher_ja: string | null;
  content_sha256: string;
  imported_at: ColumnType<Date, Date | string | undefined, Date | string>;
}

export interface DepartmentTable {
  municipality_code: string;
  id: GeneratedId;
  key: string;
  name_ja: string;
  name_en: string;
  sort_order: number;
  /** search_fold(name_ja || ' ' || name_en), generated. */
  search_text: ReadOnly<string>;
  /** Distinct bigrams of search_text, generated; GIN-indexed for search. */
  search_grams: ReadOnly<string[]>;
}

export interface BeneficiaryGroupTable {
  municipality_code: string;
  id: GeneratedId;
  key: string;
  name_ja: string;
  name_en: string;
  /** search_fold(name_ja || ' ' || name_en), generated. */
  search_text: ReadOnly<string>;
  /** Distinct bigrams of search_text, generated; GIN-indexed for search. */
  search_grams: ReadOnly<string[]>;
}

export interface ProjectTable {
  municipality_code: string;
  id: GeneratedId;
  document_id: Int8;
  department_id: Int8;
  fiscal_year: number;
  parent_id: Int8 | null;
  key: string;
  name_ja: string;
  name_en: string;
  description_ja: string | null;
  description_en: string | null;
  amount_thousand_yen: Int8 | null;
  amount_note: string | null;
  is_new: Generated<boolean>;
  is_expanded: Generated<boolean>;
  is_relisted: Generated<boolean>;
  page: number;
  sort_order: number;
  /** search_fold(name_ja || ' ' || name_en), generated: what search matches and ranks. */
  search_name: ReadOnly<string>;
  /** search_fold of both descriptions, generated. */
  search_body: ReadOnly<string>;
  /** Distinct bigrams of search_name and search_body, generated; GIN-indexed for search. */
  search_grams: ReadOnly<string[]>;
}

interface FigureColumns {
  municipality_code: string;
  id: GeneratedId;
  project_id: Int8;
  value: Numeric;
  unit: string;
  ward_id: Int8 | null;
  fiscal_year: number;
  as_of: string | null;
  is_total: Generated<boolean>;
  note_ja: string | null;
  note_en: string | null;
  document_id: Int8;
  page: number;
  sort_order: number;
}

export interface BeneficiaryCountTable extends FigureColumns {
  group_id: Int8;
}

export interface UsageFigureTable extends FigureColumns {
  metric: string;
  label_ja: string;
  label_en: string;
  category_ja: string | null;
  category_en: string | null;
}

export interface Database {
  unit: UnitTable;
  fiscal_year: FiscalYearTable;
  municipality: MunicipalityTable;
  ward: WardTable;
  source_document: SourceDocumentTable;
  department: DepartmentTable;
  beneficiary_group: BeneficiaryGroupTable;
  project: ProjectTable;
  beneficiary_count: BeneficiaryCountTable;
  usage_figure: UsageFigureTable;
}
