// A team's own operations, typed by graphql-codegen's client-preset (codegen.ts) against the
// schema the SDK ships, run with client.request (by GET, cacheable) and with urql, which takes
// the same TypedDocumentNode.
import { Client, fetchExchange } from "@urql/core";
import { createClient, DepartmentsOperation, GraphQLResponseError } from "@welfare-graph/sdk";
import { print } from "graphql";
import { graphql } from "./gql/index.js";
import { DepartmentNames } from "./own-operations-string.js";

export const LargestProjects = graphql(`
  query LargestProjects($first: Int!) {
    projects(first: $first, orderBy: [{ field: AMOUNT, direction: DESC }]) {
      nodes {
        name
        amountThousandYen
        department {
          name
        }
      }
    }
  }
`);

export async function readOwn(url: string) {
  const client = createClient({ url, print });
  const largest = await client.request(LargestProjects, { first: 3 }, { method: "GET" });
  const names: string[] = largest.projects.nodes.map((p) => `${p.name} ${p.amountThousandYen}`);
  // No variables needed: $first is optional.
  const { departments } = await client.request(DepartmentNames);
  const totalCount: number = departments.totalCount;
  // The SDK's own operations run the same way.
  const sdkOperation = await client.request(DepartmentsOperation, { first: 2 });

  // @ts-expect-error: $first is required.
  void (() => client.request(LargestProjects));
  // @ts-expect-error: $first is an Int.
  void (() => client.request(LargestProjects, { first: "3" }));
  // @ts-expect-error: the result has no such field.
  void (() => client.request(DepartmentNames).then((data) => data.departments.nmae));

  let badInput: string[] = [];
  try {
    await client.request(LargestProjects, { first: 500 });
  } catch (error) {
    if (error instanceof GraphQLResponseError) badInput = error.codes;
  }

  const urql = new Client({ url, exchanges: [fetchExchange] });
  const viaUrql = await urql.query(LargestProjects, { first: 3 }).toPromise();
  const urqlNames = viaUrql.data?.projects.nodes.map((p) => `${p.name} ${p.amountThousandYen}`) ?? [];

  return { names, totalCount, sdkOperation: sdkOperation.departments.nodes.length, badInput, urqlNames };
}
