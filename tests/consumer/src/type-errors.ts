// Mistakes that must not compile. Each `@ts-expect-error` fails the build if its line compiles,
// so this file proves that field names, variable types and required variables are checked.
import { createClient, type ProjectFlag, SpendingDimension } from "@welfare-graph/sdk";

export async function mistakes() {
  const client = createClient({ url: "http://127.0.0.1:1/graphql" });
  const { departments } = await client.departments({ first: 10 });

  // @ts-expect-error: misspelled field.
  departments.nodes[0]?.nmae;
  // @ts-expect-error: a field the operation did not select.
  departments.nodes[0]?.projects;
  // @ts-expect-error: wrong variable type (`first` is an Int).
  await client.departments({ first: "10" });
  // @ts-expect-error: unknown variable.
  await client.departments({ frist: 10 });
  // @ts-expect-error: `project` needs its `id`.
  await client.project();
  // @ts-expect-error: `id` is a string (an opaque global ID), not a number.
  await client.project({ id: 42 });
  // @ts-expect-error: no such operation.
  await client.department({ id: "x" });
  // @ts-expect-error: `project` is not a connection, so it cannot be paginated.
  client.paginate.project({ id: "x" });
  // @ts-expect-error: not a member of the SpendingDimension enum.
  SpendingDimension.DEPARTEMNT;
  // @ts-expect-error: flags are the enum's values only.
  const flag: ProjectFlag = "NEWISH";

  // And what must compile: exact scalars (BigInt and Decimal as strings), nullable where the schema says.
  const { project } = await client.project({ id: "x" });
  const amount: string | null | undefined = project?.amountThousandYen;
  const value: string | undefined = project?.usage.nodes[0]?.value;
  // @ts-expect-error: amounts are exact decimal strings, never JS numbers.
  const asNumber: number | null | undefined = project?.amountThousandYen;
  return { flag, amount, value, asNumber };
}
