// Writes validated bundles in one transaction. A document whose content is unchanged is
// skipped, so re-importing the same files changes nothing; a changed one is replaced whole,
// keeping the ids of projects that are still there (global IDs stay valid for clients).
import { createHash } from "node:crypto";
import { type Kysely, sql, type Transaction } from "kysely";
import type { Database } from "../db/types.ts";
import type { LineItemInput, ProjectInput } from "./format.ts";
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

const INSERT_CHUNK = 500;

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

async function insertChunked<T extends keyof Database & string>(trx: Transaction<Database>, table: T, rows: Array<Record<string, unknown>>) {
  for (let i = 0; i < rows.length; i += INSERT_CHUNK) {
    // biome-ignore lint/suspicious/noExplicitAny: rows are built per table right below
    await trx
      .insertInto(table)
      .values(rows.slice(i, i + INSERT_CHUNK) as any)
      .execute();
  }
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
      await importBundle(trx, bundle, dataset.units, summary, progress);
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

async function importBundle(
  trx: Transaction<Database>,
  bundle: DocumentBundle,
  units: LoadedDataset["units"],
  summary: ImportSummary,
  progress: ImportProgress,
) {
  const { municipality: m, document: d } = bundle;
  const code = m.code;
  const checksum = bundleChecksum(bundle, units);
  addBundleCounts(summary, bundle);

  const existing = await trx
    .selectFrom("source_document")
    .select(["id", "content_sha256"])
    .where("municipality_code", "=", code)
    .where("key", "=", d.key)
    .executeTakeFirst();
  if (existing?.content_sha256 === checksum) {
    summary.unchangedDocuments++;
    progress({ bundle: bundle.dir, step: "unchanged", done: 1, total: 1 });
    return;
  }

  await trx
    .insertInto("fiscal_year")
    .values({ year: d.fiscalYear, era_label: d.eraLabel })
    .onConflict((oc) => oc.column("year").doUpdateSet({ era_label: d.eraLabel }))
    .execute();
  await trx
    .insertInto("municipality")
    .values({ code, name_ja: m.nameJa, name_en: m.nameEn, prefecture_ja: m.prefectureJa, prefecture_en: m.prefectureEn })
    .onConflict((oc) => oc.column("code").doUpdateSet({ name_ja: m.nameJa, name_en: m.nameEn, prefecture_ja: m.prefectureJa, prefecture_en: m.prefectureEn }))
    .execute();

  const wardIds = await upsertKeyed(
    trx,
    "ward",
    code,
    (m.wards ?? []).map((w, i) => ({ key: w.key, name_ja: w.nameJa, name_en: w.nameEn, sort_order: i + 1 })),
  );
  const groupIds = await upsertKeyed(
    trx,
    "beneficiary_group",
    code,
    (m.beneficiaryGroups ?? []).map((g) => ({ key: g.key, name_ja: g.nameJa, name_en: g.nameEn })),
  );
  const departmentIds = await upsertKeyed(
    trx,
    "department",
    code,
    bundle.departments.map((dept) => ({
      key: dept.data.department.key,
      name_ja: dept.data.department.nameJa,
      name_en: dept.data.department.nameEn,
      sort_order: dept.order,
    })),
  );

  const documentValues = {
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
  let documentId: string;
  if (existing) {
    documentId = existing.id;
    await trx.updateTable("source_document").set(documentValues).where("municipality_code", "=", code).where("id", "=", documentId).execute();
    await trx.deleteFrom("beneficiary_count").where("municipality_code", "=", code).where("document_id", "=", documentId).execute();
    await trx.deleteFrom("usage_figure").where("municipality_code", "=", code).where("document_id", "=", documentId).execute();
  } else {
    const inserted = await trx
      .insertInto("source_document")
      .values({ municipality_code: code, key: d.key, ...documentValues })
      .returning("id")
      .executeTakeFirstOrThrow();
    documentId = inserted.id;
  }

  // Projects keep their ids across re-imports: match by key, update, insert the new, drop the gone.
  const previous = new Map(
    (await trx.selectFrom("project").select(["id", "key"]).where("municipality_code", "=", code).where("document_id", "=", documentId).execute()).map((p) => [
      p.key,
      p.id,
    ]),
  );
  const projectIds = new Map<string, string>();
  const beneficiaryRows: Array<Record<string, unknown>> = [];
  const usageRows: Array<Record<string, unknown>> = [];
  let sortOrder = 0;
  let done = 0;

  const writeProject = async (p: ProjectInput | LineItemInput, departmentId: string, parentId: string | null) => {
    const values = {
      department_id: departmentId,
      fiscal_year: d.fiscalYear,
      parent_id: parentId,
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
      sort_order: ++sortOrder,
    };
    let id = previous.get(p.key);
    if (id) {
      await trx.updateTable("project").set(values).where("municipality_code", "=", code).where("id", "=", id).execute();
    } else {
      id = (
        await trx
          .insertInto("project")
          .values({ municipality_code: code, document_id: documentId, key: p.key, ...values })
          .returning("id")
          .executeTakeFirstOrThrow()
      ).id;
    }
    projectIds.set(p.key, id);
    const figureBase = (
      f: {
        value: string;
        unit: string;
        ward?: string | undefined;
        fiscalYear?: number | undefined;
        asOf?: string | undefined;
        note?: string | undefined;
        noteEn?: string | undefined;
        page?: number | undefined;
        totalOf?: string[] | undefined;
      },
      i: number,
    ) => ({
      municipality_code: code,
      project_id: id,
      value: f.value,
      unit: f.unit,
      ward_id: f.ward ? (wardIds.get(f.ward) ?? null) : null,
      fiscal_year: f.fiscalYear ?? d.fiscalYear,
      as_of: f.asOf ?? null,
      is_total: f.totalOf !== undefined,
      note_ja: f.note ?? null,
      note_en: f.noteEn ?? null,
      document_id: documentId,
      page: f.page ?? p.page,
      sort_order: i + 1,
    });
    p.beneficiaries?.forEach((b, i) => beneficiaryRows.push({ ...figureBase(b, i), group_id: groupIds.get(b.group) }));
    p.usage?.forEach((u, i) =>
      usageRows.push({
        ...figureBase(u, i),
        metric: u.metric,
        label_ja: u.label,
        label_en: u.labelEn,
        category_ja: u.category ?? null,
        category_en: u.categoryEn ?? null,
      }),
    );
    return id;
  };

  for (const dept of bundle.departments) {
    const departmentId = departmentIds.get(dept.data.department.key) as string;
    for (const p of dept.data.projects) {
      const parentId = await writeProject(p, departmentId, null);
      for (const item of p.lineItems ?? []) await writeProject(item, departmentId, parentId);
    }
    progress({ bundle: bundle.dir, step: dept.data.department.nameJa, done: ++done, total: bundle.departments.length });
  }
  const gone = [...previous].filter(([key]) => !projectIds.has(key)).map(([, id]) => id);
  if (gone.length) {
    await trx.deleteFrom("project").where("municipality_code", "=", code).where("id", "in", gone).execute();
  }
  // Years that figures refer to (R2–R4 quotes) must exist as fiscal years too.
  const years = new Set([...beneficiaryRows, ...usageRows].map((r) => r.fiscal_year as number));
  for (const year of years) {
    await trx
      .insertInto("fiscal_year")
      .values({ year, era_label: eraLabel(year) })
      .onConflict((oc) => oc.column("year").doNothing())
      .execute();
  }
  await insertChunked(trx, "beneficiary_count", beneficiaryRows);
  await insertChunked(trx, "usage_figure", usageRows);

  // Departments and groups that no project refers to any more are gone from the municipality.
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

type KeyedTable = "ward" | "beneficiary_group" | "department";

/** Inserts or updates rows by (municipality, key); returns key → id for all of them. */
async function upsertKeyed(
  trx: Transaction<Database>,
  table: KeyedTable,
  code: string,
  rows: Array<{ key: string; name_ja: string; name_en: string; sort_order?: number }>,
): Promise<Map<string, string>> {
  const ids = new Map<string, string>();
  if (rows.length === 0) return ids;
  const returned = await trx
    .insertInto(table)
    // biome-ignore lint/suspicious/noExplicitAny: the three tables share these columns
    .values(rows.map((r) => ({ municipality_code: code, ...r })) as any)
    .onConflict((oc) =>
      oc.columns(["municipality_code", "key"]).doUpdateSet((eb) => ({
        name_ja: eb.ref("excluded.name_ja"),
        name_en: eb.ref("excluded.name_en"),
        ...(table === "beneficiary_group" ? {} : { sort_order: sql<number>`excluded.sort_order` }),
      })),
    )
    .returning(["id", "key"])
    .execute();
  for (const r of returned) ids.set(r.key, r.id);
  return ids;
}
