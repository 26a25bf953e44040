// What an application does with the SDK: typed calls, enums as values, pagination, typed errors.
import {
  createClient,
  GraphQLResponseError,
  type OperationResult,
  PaginationError,
  type ProjectQuery,
  WelfareGraphError,
} from "@welfare-graph/sdk";

type ProjectDetails = NonNullable<ProjectQuery["project"]>;

export async function readAll(url: string) {
  const client = createClient({ url, headers: { "x-client": "consumer" } });

  const { departments } = await client.departments({ first: 10 });
  const firstDepartment = departments.nodes[0];
  if (!firstDepartment) throw new Error("no departments");

  const projectIds: string[] = [];
  let pages = 0;
  for await (const page of client.paginate.projects({ first: 40 }, { maxPages: 50 })) {
    pages++;
    projectIds.push(...page.nodes.map((p) => p.id));
  }

  const busiest = await client.projects({ first: 100 });
  let detail: ProjectDetails | null = null;
  for (const p of busiest.projects.nodes) {
    const { project } = await client.project({ id: p.id });
    if (project && project.beneficiaries.totalCount > (detail?.beneficiaries.totalCount ?? 0)) detail = project;
  }
  // Units are the dataset's keys (strings), not an enum: another city may bring its own.
  const households = detail?.beneficiaries.nodes.filter((b) => b.unit === "HOUSEHOLDS").map((b) => b.value) ?? [];

  const node = await client.node({ id: firstDepartment.id });
  const nodeName = node.node?.__typename === "Department" ? node.node.name : null;

  let badInput: { name: string; codes: string[]; operationName: string } | null = null;
  try {
    await client.projects({ first: 1000 });
  } catch (error) {
    if (error instanceof GraphQLResponseError) badInput = { name: error.name, codes: error.codes, operationName: error.operationName };
    else throw error;
  }

  let limit: { reason: string; pagesRead: number } | null = null;
  try {
    for await (const _ of client.paginate.projects({ first: 1 }, { maxPages: 2 })) {
      // read until the bound
    }
  } catch (error) {
    if (error instanceof PaginationError && error instanceof WelfareGraphError) limit = { reason: error.reason, pagesRead: error.pagesRead };
    else throw error;
  }

  const years: OperationResult<"fiscalYears"> = await client.fiscalYears();
  return {
    departmentsTotal: departments.totalCount,
    firstDepartment: firstDepartment.name,
    projectIds,
    pages,
    households,
    nodeName,
    badInput,
    limit,
    years: years.fiscalYears.nodes.map((y) => y.year),
  };
}
