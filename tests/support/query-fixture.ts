// Two datasets for the query tests, on either engine: the bundled data files, and the
// generated larger one; both through the real importer. IDs the filters need are looked up
// over GraphQL; expectations come from the flattened dataset (expectations.ts).
import path from "node:path";
import type { DatabaseKind } from "../../packages/server/src/db/database.ts";
import { type LoadedDataset, loadDataset } from "../../packages/server/src/import/load.ts";
import { type Json, startTestApp, type TestApp } from "./app.ts";
import { type FlatProject, flatten, id } from "./expectations.ts";
import { generateDataset } from "./generated-dataset.ts";

export type DatasetName = "data files" | "generated";

export interface QueryFixture {
  t: TestApp;
  projects: FlatProject[];
  /** Global ID of each project, by expectations.id(). */
  projectIds: Map<string, string>;
  /** Numeric row id of each project (the order's last tie-break). */
  rowIds: Map<string, bigint>;
  departmentIds: Map<string, string>;
  groupIds: Map<string, string>;
  wardIds: Map<string, string>;
  close(): Promise<void>;
}

export function bundledDataset(): LoadedDataset {
  const { dataset, issues } = loadDataset(path.join(import.meta.dirname, "../../data"));
  if (issues.length) throw new Error(`the data files are invalid: ${issues.map((i) => i.message).join("; ")}`);
  return dataset;
}

export async function startQueryFixture(kind: DatabaseKind, name: DatasetName): Promise<QueryFixture> {
  // These tests read whole datasets in few requests (all series of 30 projects at once); the
  // cost limit that refuses such queries in production is tested in limits.test.ts.
  // Both datasets come with the database: the global setup's templates are these same imports
  // (support/templates.ts), so a file starts from its dataset without importing it.
  const t = await startTestApp(kind, {
    template: name === "generated" ? "generated" : "loaded",
    app: { limits: { maxCost: Number.MAX_SAFE_INTEGER } },
  });
  const dataset = name === "generated" ? generateDataset() : bundledDataset();
  const projects = flatten(dataset);

  const projectIds = new Map<string, string>();
  const rowIds = new Map<string, bigint>();
  let after: string | null = null;
  for (;;) {
    const { body } = (await t.graphql(
      `query($after: String) { projects(first: 100, after: $after) { nodes { id seriesKey fiscalYear { year } municipality { code } } pageInfo { hasNextPage endCursor } } }`,
      { after },
    )) as Json;
    for (const n of body.data.projects.nodes) {
      const key = id({ municipalityCode: n.municipality.code, fiscalYear: n.fiscalYear.year, key: n.seriesKey });
      projectIds.set(key, n.id);
      rowIds.set(key, BigInt(Buffer.from(n.id, "base64").toString().split(":").at(-1)!));
    }
    if (!body.data.projects.pageInfo.hasNextPage) break;
    after = body.data.projects.pageInfo.endCursor;
  }
  const lookups = (await t.graphql(`{
    departments(first: 100) { nodes { id slug municipality { code } } }
    beneficiaryGroups(first: 100) { nodes { id slug municipality { code } } }
    municipalities(first: 100) { nodes { code wards(first: 100) { nodes { id code } } } }
  }`)) as Json;
  const d = lookups.body.data;
  return {
    t,
    projects,
    projectIds,
    rowIds,
    departmentIds: new Map(d.departments.nodes.map((n: Json) => [`${n.municipality.code}/${n.slug}`, n.id])),
    groupIds: new Map(d.beneficiaryGroups.nodes.map((n: Json) => [`${n.municipality.code}/${n.slug}`, n.id])),
    wardIds: new Map(d.municipalities.nodes.flatMap((m: Json) => m.wards.nodes.map((w: Json) => [`${m.code}/${w.code}`, w.id]))),
    close: () => t.close(),
  };
}

/** Every node of a project list, page by page (100 at a time) through cursors. */
export async function allProjects(
  t: TestApp,
  args: { where?: unknown; orderBy?: unknown },
  select = "seriesKey fiscalYear { year } municipality { code } amountThousandYen name",
) {
  const nodes: Json[] = [];
  let after: string | null = null;
  let totalCount = -1;
  for (let guard = 0; guard < 100; guard++) {
    const { body } = (await t.graphql(
      `query($where: ProjectFilter, $orderBy: [ProjectOrder!], $after: String) {
        projects(first: 100, after: $after, where: $where, orderBy: $orderBy) { totalCount nodes { ${select} } pageInfo { hasNextPage endCursor } }
      }`,
      { ...args, after },
    )) as Json;
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    nodes.push(...body.data.projects.nodes);
    totalCount = body.data.projects.totalCount;
    if (!body.data.projects.pageInfo.hasNextPage) break;
    after = body.data.projects.pageInfo.endCursor;
  }
  return { nodes, totalCount };
}

export const nodeId = (n: Json) => id({ municipalityCode: n.municipality.code, fiscalYear: n.fiscalYear.year, key: n.seriesKey });
