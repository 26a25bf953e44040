// Writes validated bundles in one transaction. A document whose content is unchanged is
// skipped, so re-importing the same files changes nothing; a changed one is replaced whole,
// keeping the ids of projects that are still there (global IDs stay valid for clients).
import { createHash } from "node:crypto";
import { type Insertable, type Kysely, sql, type Transaction } from "kysely";
import type { BeneficiaryCountTable, Database, ProjectTable, UsageFigureTable } from "../db/types.ts";
import type { BeneficiaryFigureInput, LineItemInput, ProjectInput, UsageFigureInput } from "./format.ts";
import type { DocumentBundle, LoadedDataset } from "./load.ts";

export interface ImportSummary {
  documents: number;
  unchangedDocuments: number;
  departments: number;
  projects: number;
  beneficiaryFigures: number;
  usageFigures: number;
  /**
   * Sum of top-level project amounts, thousand yen, exact. Re-listed (再掲) projects repeat an
   * amount counted elsewhere in the report, so they are left out; line items are parts of
   * their project's amount, so they are left out too.
   */
  totalAmountThousandYen: bigint;
}

export type DatasetCounts = Omit<ImportSummary, "unchangedDocuments">;

export type ImportProgress = (event: { bundle: string; step: string; done: number; total: number }) => void;

function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) =>
    v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([a], [b]) => a.localeCompare(b))) : v,
  );
}

export function bundleChecksum(bundle: DocumentBundle, units: LoadedDataset["units"]): string {
  return createHash("sha256")
    .update(canonicalJson({ units, municipality: bundle.municipality, document: bundle.document, departments: bundle.departments.map((d) => d.data) }))
    .digest("hex");
}

export async function importDataset(db: Kysely<Database>, dataset: LoadedDataset, progress: ImportProgress = () => {}): Promise<ImportSummary> {
  const summary: ImportSummary = {
    documents: 0,
    unchangedDocuments: 0,
    departments: 0,
    projects: 0,
    beneficiaryFigures: 0,
    usageFigures: 0,
    totalAmountThousandYen: 0n,
  };
  await db.transaction().execute(async (trx) => {
    // Two importers at once would interleave replacements; the second waits.
    await sql`select pg_advisory_xact_lock(hashtext('welfare-graph:import'))`.execute(trx);
    await upsertUnits(trx, dataset.units);
    for (const bundle of dataset.bundles) {
      addBundleCounts(summary, bundle);
      if (await importBundle(trx, bundle, dataset.units, progress)) summary.unchangedDocuments++;
    }
  });
  return summary;
}

async function upsertUnits(trx: Transaction<Database>, units: LoadedDataset["units"]) {
  if (units.length === 0) return;
  await trx
    .insertInto("unit")
    .values(units.map((u) => ({ key: u.key, name_ja: u.nameJa, name_en: u.nameEn })))
    .onConflict((oc) =>
      oc
        .column("key")
        .doUpdateSet((eb) => ({ name_ja: eb.ref("excluded.name_ja"), name_en: eb.ref("excluded.name_en") }))
        .where((eb) =>
          eb.or([eb("unit.name_ja", "is distinct from", eb.ref("excluded.name_ja")), eb("unit.name_en", "is distinct from", eb.ref("excluded.name_en"))]),
        ),
    )
    .execute();
}

/** What a dataset holds, as the import summary counts it (also for --dry-run). */
export function countDataset(dataset: LoadedDataset): DatasetCounts {
  const counts: DatasetCounts = { documents: 0, departments: 0, projects: 0, beneficiaryFigures: 0, usageFigures: 0, totalAmountThousandYen: 0n };
  for (const bundle of dataset.bundles) addBundleCounts(counts, bundle);
  return counts;
}

function addBundleCounts(counts: DatasetCounts, bundle: DocumentBundle) {
  counts.documents++;
  counts.departments += bundle.departments.length;
  for (const dept of bundle.departments) {
    for (const p of dept.data.projects) {
      // Spending counted once: no re-listed project, and line items only where the project
      // prints no amount of its own (the API's aggregate follows the same rule).
      if (!p.flags?.includes("RELISTED")) {
        if (p.amountThousandYen !== null) counts.totalAmountThousandYen += BigInt(p.amountThousandYen);
        else for (const item of p.lineItems ?? []) if (!item.flags?.includes("RELISTED")) counts.totalAmountThousandYen += BigInt(item.amountThousandYen ?? 0);
      }
      for (const item of [p, ...(p.lineItems ?? [])]) {
        counts.projects++;
        counts.beneficiaryFigures += item.beneficiaries?.length ?? 0;
        counts.usageFigures += item.usage?.length ?? 0;
      }
    }
  }
}

/**
 * Writes one document in named steps, each table in a few set-based statements: the
 * municipality and its catalog (wards, groups, departments), the document, then per department
 * its projects (planned in memory first) and their figures, then what is gone. Returns true
 * when the document was unchanged and nothing was written.
 */
async function importBundle(trx: Transaction<Database>, bundle: DocumentBundle, units: LoadedDataset["units"], progress: ImportProgress): Promise<boolean> {
  const checksum = bundleChecksum(bundle, units);
  const existing = await findDocument(trx, bundle);
  if (existing?.content_sha256 === checksum) {
    progress({ bundle: bundle.dir, step: "unchanged", done: 1, total: 1 });
    return true;
  }
  const code = bundle.municipality.code;
  await upsertMunicipality(trx, bundle);
  const catalog = await upsertCatalog(trx, bundle);
  const documentId = await writeDocument(trx, bundle, checksum, existing?.id);
  await ensureFiscalYears(trx, figureYears(bundle));
  // Department by department (a few statements each), so that progress means something.
  const projectIds = new Map<string, string>();
  const order = { next: 1 };
  for (const [index, department] of bundle.departments.entries()) {
    const plan = planDepartment(bundle, department, catalog, order);
    await writeProjects(trx, code, documentId, plan, projectIds);
    await writeFigures(trx, bundle, documentId, plan, projectIds, catalog);
    progress({ bundle: bundle.dir, step: department.data.department.nameJa, done: index + 1, total: bundle.departments.length });
  }
  await deleteGoneProjects(trx, code, documentId, [...projectIds.keys()]);
  await removeUnreferenced(trx, code);
  return false;
}

async function findDocument(trx: Transaction<Database>, bundle: DocumentBundle) {
  return trx
    .selectFrom("source_document")
    .select(["id", "content_sha256"])
    .where("municipality_code", "=", bundle.municipality.code)
    .where("key", "=", bundle.document.key)
    .executeTakeFirst();
}

async function upsertMunicipality(trx: Transaction<Database>, { municipality: m, document: d }: DocumentBundle) {
  await trx
    .insertInto("fiscal_year")
    .values({ year: d.fiscalYear, era_label: d.eraLabel })
    .onConflict((oc) => oc.column("year").doUpdateSet({ era_label: d.eraLabel }))
    .execute();
  await trx
    .insertInto("municipality")
    .values({ code: m.code, name_ja: m.nameJa, name_en: m.nameEn, prefecture_ja: m.prefectureJa, prefecture_en: m.prefectureEn })
    .onConflict((oc) => oc.column("code").doUpdateSet({ name_ja: m.nameJa, name_en: m.nameEn, prefecture_ja: m.prefectureJa, prefecture_en: m.prefectureEn }))
    .execute();
}

/** Row ids by dataset key: what projects and figures refer to. */
interface Catalog {
  wardIds: Map<string, string>;
  groupIds: Map<string, string>;
  departmentIds: Map<string, string>;
}

const idsByKey = (rows: Array<{ id: string; key: string }>) => new Map(rows.map((r) => [r.key, r.id]));

/** Wards, beneficiary groups and departments, inserted or renamed by (municipality, key). */
async function upsertCatalog(trx: Transaction<Database>, bundle: DocumentBundle): Promise<Catalog> {
  const code = bundle.municipality.code;
  const named = (r: { key: string; nameJa: string; nameEn: string }) => ({ municipality_code: code, key: r.key, name_ja: r.nameJa, name_en: r.nameEn });
  const wards = (bundle.municipality.wards ?? []).map((w, i) => ({ ...named(w), sort_order: i + 1 }));
  const groups = (bundle.municipality.beneficiaryGroups ?? []).map(named);
  const departments = bundle.departments.map((dept) => ({ ...named(dept.data.department), sort_order: dept.order }));
  const keyed = ["municipality_code", "key"] as const;
  const wardIds = wards.length
    ? await trx
        .insertInto("ward")
        .values(wards)
        .onConflict((oc) =>
          oc
            .columns(keyed)
            .doUpdateSet((eb) => ({ name_ja: eb.ref("excluded.name_ja"), name_en: eb.ref("excluded.name_en"), sort_order: eb.ref("excluded.sort_order") })),
        )
        .returning(["id", "key"])
        .execute()
    : [];
  const groupIds = groups.length
    ? await trx
        .insertInto("beneficiary_group")
        .values(groups)
        .onConflict((oc) => oc.columns(keyed).doUpdateSet((eb) => ({ name_ja: eb.ref("excluded.name_ja"), name_en: eb.ref("excluded.name_en") })))
        .returning(["id", "key"])
        .execute()
    : [];
  const departmentIds = departments.length
    ? await trx
        .insertInto("department")
        .values(departments)
        .onConflict((oc) =>
          oc
            .columns(keyed)
            .doUpdateSet((eb) => ({ name_ja: eb.ref("excluded.name_ja"), name_en: eb.ref("excluded.name_en"), sort_order: eb.ref("excluded.sort_order") })),
        )
        .returning(["id", "key"])
        .execute()
    : [];
  return { wardIds: idsByKey(wardIds), groupIds: idsByKey(groupIds), departmentIds: idsByKey(departmentIds) };
}

/** Inserts the document, or updates it in place and clears its figures (they are written anew). */
async function writeDocument(
  trx: Transaction<Database>,
  { municipality: m, document: d }: DocumentBundle,
  checksum: string,
  existingId: string | undefined,
): Promise<string> {
  const values = {
    title_ja: d.titleJa,
    title_en: d.titleEn,
    fiscal_year: d.fiscalYear,
    page_count: d.pageCount,
    source_file: d.sourceFile ?? null,
    source_url: d.sourceUrl ?? null,
    publisher_ja: d.publisherJa ?? null,
    content_sha256: checksum,
    imported_at: new Date(),
  };
  if (!existingId) {
    return (
      await trx
        .insertInto("source_document")
        .values({ municipality_code: m.code, key: d.key, ...values })
        .returning("id")
        .executeTakeFirstOrThrow()
    ).id;
  }
  await trx.updateTable("source_document").set(values).where("municipality_code", "=", m.code).where("id", "=", existingId).execute();
  await trx.deleteFrom("beneficiary_count").where("municipality_code", "=", m.code).where("document_id", "=", existingId).execute();
  await trx.deleteFrom("usage_figure").where("municipality_code", "=", m.code).where("document_id", "=", existingId).execute();
  return existingId;
}

type ProjectValues = Omit<Insertable<ProjectTable>, "municipality_code" | "document_id" | "parent_id">;

/** A department's projects as rows in report order: the top level, and line items with their parent's key. */
interface ProjectPlan {
  topLevel: ProjectValues[];
  lineItems: Array<ProjectValues & { parentKey: string }>;
  /** Every project (line items too) as read, for its figures. */
  inputs: Array<ProjectInput | LineItemInput>;
}

/** Pure: what a department's projects become, before any id is known; `order` numbers them across the document. */
function planDepartment(bundle: DocumentBundle, department: DocumentBundle["departments"][number], catalog: Catalog, order: { next: number }): ProjectPlan {
  const plan: ProjectPlan = { topLevel: [], lineItems: [], inputs: [] };
  const departmentId = catalog.departmentIds.get(department.data.department.key) as string;
  const values = (p: ProjectInput | LineItemInput): ProjectValues => ({
    department_id: departmentId,
    fiscal_year: bundle.document.fiscalYear,
    key: p.key,
    name_ja: p.nameJa,
    name_en: p.nameEn,
    description_ja: p.descriptionJa ?? null,
    description_en: p.descriptionEn ?? null,
    amount_thousand_yen: p.amountThousandYen === null ? null : String(p.amountThousandYen),
    amount_note: p.amountNote ?? null,
    is_new: p.flags?.includes("NEW") ?? false,
    is_expanded: p.flags?.includes("EXPANDED") ?? false,
    is_relisted: p.flags?.includes("RELISTED") ?? false,
    page: p.page,
    sort_order: order.next++,
  });
  for (const p of department.data.projects) {
    plan.topLevel.push(values(p));
    plan.inputs.push(p);
    for (const item of p.lineItems ?? []) {
      plan.lineItems.push({ ...values(item), parentKey: p.key });
      plan.inputs.push(item);
    }
  }
  return plan;
}

/** Every fiscal year the document's figures are about (R2–R4 quotes too). */
function figureYears(bundle: DocumentBundle): number[] {
  const years = new Set<number>();
  for (const dept of bundle.departments) {
    for (const p of dept.data.projects) {
      for (const item of [p, ...(p.lineItems ?? [])]) {
        for (const f of [...(item.beneficiaries ?? []), ...(item.usage ?? [])]) years.add(f.fiscalYear ?? bundle.document.fiscalYear);
      }
    }
  }
  return [...years];
}

/** Years that figures refer to must exist as fiscal years too. */
async function ensureFiscalYears(trx: Transaction<Database>, years: number[]) {
  if (years.length === 0) return;
  await trx
    .insertInto("fiscal_year")
    .values(years.map((year) => ({ year, era_label: eraLabel(year) })))
    .onConflict((oc) => oc.column("year").doNothing())
    .execute();
}

// PostgreSQL takes at most 65,535 parameters a statement: rows go in chunks below that.
const MAX_PARAMETERS = 60_000;

function chunks<T extends object>(rows: readonly T[]): T[][] {
  const size = Math.max(1, Math.floor(MAX_PARAMETERS / Math.max(1, Object.keys(rows[0] ?? {}).length)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

/**
 * Upserts the projects by (municipality, document, key), so that a project still there keeps its
 * id (and its global ID) across re-imports; line items after their parents, whose ids they
 * need. Adds key → id to `ids`.
 */
async function writeProjects(trx: Transaction<Database>, code: string, documentId: string, plan: ProjectPlan, ids: Map<string, string>) {
  const upsert = async (rows: Insertable<ProjectTable>[]) => {
    for (const chunk of chunks(rows)) {
      const written = await trx
        .insertInto("project")
        .values(chunk)
        .onConflict((oc) =>
          oc.columns(["municipality_code", "document_id", "key"]).doUpdateSet((eb) => ({
            department_id: eb.ref("excluded.department_id"),
            fiscal_year: eb.ref("excluded.fiscal_year"),
            parent_id: eb.ref("excluded.parent_id"),
            name_ja: eb.ref("excluded.name_ja"),
            name_en: eb.ref("excluded.name_en"),
            description_ja: eb.ref("excluded.description_ja"),
            description_en: eb.ref("excluded.description_en"),
            amount_thousand_yen: eb.ref("excluded.amount_thousand_yen"),
            amount_note: eb.ref("excluded.amount_note"),
            is_new: eb.ref("excluded.is_new"),
            is_expanded: eb.ref("excluded.is_expanded"),
            is_relisted: eb.ref("excluded.is_relisted"),
            page: eb.ref("excluded.page"),
            sort_order: eb.ref("excluded.sort_order"),
          })),
        )
        .returning(["id", "key"])
        .execute();
      for (const r of written) ids.set(r.key, r.id);
    }
  };
  const placed = { municipality_code: code, document_id: documentId };
  await upsert(plan.topLevel.map((p) => ({ ...placed, parent_id: null, ...p })));
  await upsert(plan.lineItems.map(({ parentKey, ...p }) => ({ ...placed, parent_id: ids.get(parentKey) as string, ...p })));
}

/** The document's projects that are no longer in it (their figures went with the document's). */
async function deleteGoneProjects(trx: Transaction<Database>, code: string, documentId: string, keys: string[]) {
  await trx
    .deleteFrom("project")
    .where("municipality_code", "=", code)
    .where("document_id", "=", documentId)
    .where(sql<boolean>`not (key = any(${keys}::text[]))`)
    .execute();
}

type FigureInput = BeneficiaryFigureInput | UsageFigureInput;

/** The planned projects' figures as multi-row inserts. */
async function writeFigures(
  trx: Transaction<Database>,
  bundle: DocumentBundle,
  documentId: string,
  plan: ProjectPlan,
  projectIds: Map<string, string>,
  catalog: Catalog,
) {
  const base = (p: ProjectInput | LineItemInput, f: FigureInput, i: number) => ({
    municipality_code: bundle.municipality.code,
    project_id: projectIds.get(p.key) as string,
    value: f.value,
    unit: f.unit,
    ward_id: f.ward ? (catalog.wardIds.get(f.ward) ?? null) : null,
    fiscal_year: f.fiscalYear ?? bundle.document.fiscalYear,
    as_of: f.asOf ?? null,
    is_total: f.totalOf !== undefined,
    note_ja: f.note ?? null,
    note_en: f.noteEn ?? null,
    document_id: documentId,
    page: f.page ?? p.page,
    sort_order: i + 1,
  });
  const beneficiaries: Insertable<BeneficiaryCountTable>[] = plan.inputs.flatMap((p) =>
    (p.beneficiaries ?? []).map((b, i) => ({ ...base(p, b, i), group_id: catalog.groupIds.get(b.group) as string })),
  );
  const usage: Insertable<UsageFigureTable>[] = plan.inputs.flatMap((p) =>
    (p.usage ?? []).map((u, i) => ({
      ...base(p, u, i),
      metric: u.metric,
      label_ja: u.label,
      label_en: u.labelEn,
      category_ja: u.category ?? null,
      category_en: u.categoryEn ?? null,
    })),
  );
  for (const chunk of chunks(beneficiaries)) await trx.insertInto("beneficiary_count").values(chunk).execute();
  for (const chunk of chunks(usage)) await trx.insertInto("usage_figure").values(chunk).execute();
}

/** Departments and groups that no project refers to any more are gone from the municipality. */
async function removeUnreferenced(trx: Transaction<Database>, code: string) {
  await trx
    .deleteFrom("department")
    .where("municipality_code", "=", code)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("project")
            .select(sql`1`.as("one"))
            .whereRef("project.municipality_code", "=", "department.municipality_code")
            .whereRef("project.department_id", "=", "department.id"),
        ),
      ),
    )
    .execute();
  await trx
    .deleteFrom("beneficiary_group")
    .where("municipality_code", "=", code)
    .where(({ not, exists, selectFrom }) =>
      not(
        exists(
          selectFrom("beneficiary_count")
            .select(sql`1`.as("one"))
            .whereRef("beneficiary_count.municipality_code", "=", "beneficiary_group.municipality_code")
            .whereRef("beneficiary_count.group_id", "=", "beneficiary_group.id"),
        ),
      ),
    )
    .execute();
}

/** Japanese era label of a fiscal year, for years the source quotes without naming them. */
export function eraLabel(year: number): string {
  if (year >= 2019) return year === 2019 ? "令和元年度" : `令和${year - 2018}年度`;
  if (year >= 1989) return year === 1989 ? "平成元年度" : `平成${year - 1988}年度`;
  return `${year}年度`;
}
