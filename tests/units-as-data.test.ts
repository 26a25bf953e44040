// "A new unit in another city's data would break serialization": units are data. A dataset that
// brings a unit the bundled data/units.yaml does not have imports, and its figures are served
// with that unit's key and names, and can be filtered by it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBundledDataset } from "../packages/server/src/app-database.ts";
import { type Json, startTestApp, type TestApp } from "./support/app.ts";
import { engines } from "./support/databases.ts";
import { copyDataset, type DatasetCopy, exampleDataset } from "./support/import-files.ts";

describe.each(engines())("a unit of the dataset's own on %s", (kind) => {
  let t: TestApp;
  let copy: DatasetCopy;
  beforeAll(async () => {
    copy = copyDataset(exampleDataset);
    copy.write("units.yaml", `${copy.read("units.yaml")}- { key: CALLS, nameJa: 通話, nameEn: calls }\n`);
    copy.replace("999997/2024/01-welfare-policy.yaml", "value: 42, unit: CASES", "value: 42, unit: CALLS");
    t = await startTestApp(kind, { load: false });
    await loadBundledDataset(t.database, copy.root);
  });
  afterAll(async () => {
    await t?.close();
    copy?.dispose();
  });

  it("serves the figure with the unit's key and names, and filters by it", async () => {
    const { body } = await t.graphql<Json>(`{
      projects(first: 10, where: { usageMetrics: ["consultations"] }) {
        nodes { usage(first: 5, where: { units: ["CALLS"] }) { nodes { value unit unitName unitNameEn } } }
      }
      usageTotals(groupBy: [METRIC]) { nodes { metric unit sum } }
    }`);
    expect(body.errors).toBeUndefined();
    expect(body.data.projects.nodes[0].usage.nodes).toEqual([{ value: "42", unit: "CALLS", unitName: "通話", unitNameEn: "calls" }]);
    expect(body.data.usageTotals.nodes).toContainEqual({ metric: "consultations", unit: "CALLS", sum: "42" });
  });
});
