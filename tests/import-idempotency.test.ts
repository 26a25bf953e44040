// Importing is idempotent, replaces a changed document as a whole (keeping the ids of the
// projects that stay), and a failure in the middle of writing rolls everything back: proven
// with an md5 of every table, through the API and through the CLI, on both engines. The bin
// runs as a child process once per engine; the other CLI cases call the command it runs.
import os from "node:os";
import path from "node:path";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDocument } from "yaml";
import { loadBundledDataset } from "../packages/server/src/app-database.ts";
import { loadDataset } from "../packages/server/src/import/load.ts";
import { importDataset } from "../packages/server/src/import/write.ts";
import { tableChecksums } from "./support/checksum.ts";
import { engines } from "./support/databases.ts";
import { bundledDataset, copyDataset, runImportCli, runImportCommand } from "./support/import-files.ts";
import { createImportTarget, type ImportTarget } from "./support/import-target.ts";

const { dataset: bundled } = loadDataset(bundledDataset);
const departments = bundled.bundles[0]!.departments;

/** A copy of the bundled data with one project removed and another's amount changed. */
function changedCopy() {
  const copy = copyDataset(bundledDataset);
  const dept = departments.find((d) => d.data.projects.length >= 2 && d.data.projects.some((p) => p.amountThousandYen !== null))!;
  const file = path.relative("data", dept.file);
  const doc = parseDocument(copy.read(file));
  const projects = dept.data.projects;
  const edited = projects.find((p) => p.amountThousandYen !== null)!;
  const removed = projects.findLast((p) => p !== edited)!;
  const newAmount = (edited.amountThousandYen as number) + 1;
  doc.setIn(["projects", projects.indexOf(edited), "amountThousandYen"], newAmount);
  doc.deleteIn(["projects", projects.indexOf(removed)]);
  copy.write(file, doc.toString());
  const removedKeys = [removed.key, ...(removed.lineItems ?? []).map((i) => i.key)];
  return { copy, edited: edited.key, newAmount, removedKeys };
}

async function projectIds(target: ImportTarget) {
  return target.withDatabase(async ({ db }) => {
    const rows = await db.selectFrom("project").select(["key", "id", "amount_thousand_yen"]).orderBy("key").execute();
    return new Map(rows.map((r) => [r.key, { id: r.id, amount: r.amount_thousand_yen }]));
  });
}

describe.each(engines())("importing on %s", (kind) => {
  let target: ImportTarget;
  let original: Record<string, string>;
  let originalIds: Map<string, { id: string; amount: string | null }>;
  let changed: ReturnType<typeof changedCopy>;

  beforeAll(async () => {
    // The loaded template: the global setup's import of these same files on this engine.
    target = await createImportTarget(kind, { load: true });
    original = await target.withDatabase(({ db }) => tableChecksums(db));
    originalIds = await projectIds(target);
    changed = changedCopy();
  });
  afterAll(async () => {
    changed?.copy.dispose();
    await target?.drop();
  });

  it("imported the whole bundled dataset", () => {
    const projects = departments.reduce((n, d) => n + d.data.projects.reduce((m, p) => m + 1 + (p.lineItems?.length ?? 0), 0), 0);
    expect(original.project).toMatch(new RegExp(`^${projects} rows`));
    expect(original.department).toMatch(new RegExp(`^${departments.length} rows`));
  });

  it("re-importing the same files through the API changes no table", async () => {
    const summary = await target.withDatabase((handle) => loadBundledDataset(handle, bundledDataset));
    expect(summary).toMatchObject({ documents: 1, unchangedDocuments: 1 });
    expect(await target.withDatabase(({ db }) => tableChecksums(db))).toEqual(original);
  });

  it("re-importing through the bin, run from outside the repository with a relative path, changes no table", async () => {
    await target.releaseForCli();
    const cwd = os.tmpdir();
    const run = await runImportCli([path.relative(cwd, bundledDataset)], { env: target.cliEnv, cwd });
    expect(run.stderr).toBe("data/431001/2023: 1/1 unchanged\n");
    expect(run.stdout).toMatch(/^imported 1 document\(s\), 1 of them unchanged: 15 departments, \d+ projects/);
    expect(run.code).toBe(0);
    expect(await target.withDatabase(({ db }) => tableChecksums(db))).toEqual(original);
  });

  describe("a failure in the middle of writing", () => {
    // A statement the validator cannot foresee fails after projects were already updated,
    // inserted and deleted: the usage figures are written last.
    beforeAll(() =>
      target.withDatabase(async ({ db }) => {
        await sql`create function wg_test_refuse() returns trigger language plpgsql as $$
          begin raise exception 'injected failure: usage_figure refuses inserts'; end $$`.execute(db);
        await sql`create trigger wg_test_refuse before insert on usage_figure for each statement execute function wg_test_refuse()`.execute(db);
      }),
    );
    afterAll(() =>
      target.withDatabase(async ({ db }) => {
        await sql`drop trigger wg_test_refuse on usage_figure`.execute(db);
        await sql`drop function wg_test_refuse()`.execute(db);
      }),
    );

    it("rolls everything back (API)", async () => {
      const { dataset, issues } = loadDataset(changed.copy.root);
      expect(issues).toEqual([]);
      const failure = await target.withDatabase(({ db }) => importDataset(db, dataset)).catch((error: unknown) => error);
      expect(String(failure)).toContain("injected failure");
      expect(await target.withDatabase(({ db }) => tableChecksums(db))).toEqual(original);
    });

    it("rolls everything back and exits 1 (CLI)", async () => {
      await target.releaseForCli();
      // The command the bin runs, in this process: the bin's own process is proven above.
      const run = await runImportCommand([changed.copy.root], { env: target.cliEnv });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain("import failed, nothing was changed: injected failure: usage_figure refuses inserts");
      expect(await target.withDatabase(({ db }) => tableChecksums(db))).toEqual(original);
    });
  });

  describe("a changed file", () => {
    let after: Record<string, string>;

    beforeAll(async () => {
      await target.releaseForCli();
      const run = await runImportCommand([changed.copy.root], { env: target.cliEnv });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^imported 1 document\(s\), 0 of them unchanged: /);
      // Not a terminal: one plain line per department, in report order.
      expect(run.stderr).toBe(departments.map((d, i) => `dataset/431001/2023: ${i + 1}/${departments.length} ${d.data.department.nameJa}\n`).join(""));
      after = await target.withDatabase(({ db }) => tableChecksums(db));
    });

    it("replaces the document as a whole: the removed project is gone, the edited amount changed", async () => {
      expect(after.project).not.toEqual(original.project);
      const ids = await projectIds(target);
      for (const key of changed.removedKeys) expect(ids.has(key), key).toBe(false);
      expect(ids.get(changed.edited)?.amount).toBe(String(changed.newAmount));
      expect(ids.size).toBe(originalIds.size - changed.removedKeys.length);
    });

    it("keeps the id of every project that stayed", async () => {
      const ids = await projectIds(target);
      for (const [key, { id }] of ids) expect({ key, id }).toEqual({ key, id: originalIds.get(key)?.id });
    });

    it("importing the changed files again changes nothing", async () => {
      const { dataset } = loadDataset(changed.copy.root);
      const summary = await target.withDatabase(({ db }) => importDataset(db, dataset));
      expect(summary.unchangedDocuments).toBe(1);
      expect(await target.withDatabase(({ db }) => tableChecksums(db))).toEqual(after);
    });
  });
});
