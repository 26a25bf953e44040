// The same package through require(): CommonJS build and its declarations.
import sdk = require("@welfare-graph/sdk");

export async function readWithRequire(url: string) {
  const client = sdk.createClient({ url });
  const { municipalities } = await client.municipalities();
  const error = await client.projects({ first: 500 }).catch((e: unknown) => e);
  return {
    municipalities: municipalities.nodes.map((m) => m.code),
    errorIsTyped: error instanceof sdk.GraphQLResponseError && error instanceof sdk.WelfareGraphError,
    dimension: sdk.SpendingDimension.DEPARTMENT,
  };
}
