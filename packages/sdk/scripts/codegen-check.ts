// `pnpm codegen:check`: exits 1 when src/__generated__/ is stale against the schema or operations.
import { findCodegenDrift } from "../codegen/check.ts";

const drift = await findCodegenDrift();
if (drift.length) {
  console.error(`src/__generated__ is stale; run \`pnpm codegen\` and commit the result:\n${drift.map((line) => `  ${line}`).join("\n")}`);
  process.exit(1);
}
console.log("src/__generated__ is up to date with the schema and the operations");
