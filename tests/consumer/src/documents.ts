// Typed documents for other GraphQL clients: the result and variables types travel with them.
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { DepartmentsDocument, ProjectDocument } from "@welfare-graph/sdk/documents";

/** Stands in for urql's / Apollo's / graphql-request's typed execute. */
declare function execute<Result, Variables>(document: TypedDocumentNode<Result, Variables>, variables: Variables): Promise<Result>;

export async function withAnotherClient() {
  const { departments } = await execute(DepartmentsDocument, { first: 5 });
  const name: string = departments.nodes[0]?.name ?? "";
  const { project } = await execute(ProjectDocument, { id: "UHJvamVjdDo0MzEwMDE6MQ==" });
  const amount: string | null | undefined = project?.amountThousandYen;

  // @ts-expect-error: a typed document's variables are checked (`first` is an Int).
  await execute(DepartmentsDocument, { first: "5" });
  // @ts-expect-error: and so are its result fields.
  departments.nodes[0]?.nmae;
  return { name, amount };
}
