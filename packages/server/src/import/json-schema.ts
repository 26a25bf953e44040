// The published data format: docs/data-format.schema.json, generated from the importer's own
// zod schemas (format.ts) so the contract another city codes against cannot drift from what
// the importer accepts. `pnpm format:schema` rewrites it; tests/format-schema.test.ts fails
// when the committed file is stale.
import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import {
  beneficiaryFigure,
  beneficiaryGroup,
  decimal,
  departmentFile,
  documentFile,
  lineItem,
  municipalityFile,
  project,
  unitsFile,
  usageFigure,
} from "./format.ts";

export const formatSchemaFile = fileURLToPath(new URL("../../../../docs/data-format.schema.json", import.meta.url));

/** `$defs` names of the four file kinds, for `$ref: …#/$defs/<name>`. */
export const fileKinds = {
  departmentFile: "data/<code>/<fiscal year>/<nn>-<department>.yaml: one department's projects",
  documentFile: "data/<code>/<fiscal year>/document.yaml: the source document",
  municipalityFile: "data/<code>/municipality.yaml: the municipality, its wards and shared groups",
  unitsFile: "data/units.yaml: the closed list of units",
} as const;

export type FileKind = keyof typeof fileKinds;

export function formatJsonSchema(): Record<string, unknown> {
  // A private registry: ids become $defs without touching zod's global registry.
  const registry = z.registry<{ id: string; title?: string; description?: string }>();
  registry.add(departmentFile, { id: "departmentFile", description: fileKinds.departmentFile });
  registry.add(documentFile, { id: "documentFile", description: fileKinds.documentFile });
  registry.add(municipalityFile, { id: "municipalityFile", description: fileKinds.municipalityFile });
  registry.add(unitsFile, { id: "unitsFile", description: fileKinds.unitsFile });
  registry.add(project, { id: "project", description: "a project (事業) with its figures and line items" });
  registry.add(lineItem, { id: "lineItem", description: "a sub-line of a project with its own amount (no nesting)" });
  registry.add(beneficiaryFigure, { id: "beneficiaryFigure", description: "who a project served (受益者): a group and a count" });
  registry.add(usageFigure, { id: "usageFigure", description: "how much a project was used (利用実績)" });
  registry.add(beneficiaryGroup, { id: "beneficiaryGroup", description: "a beneficiary group (受益者の区分)" });
  registry.add(decimal, { id: "decimal", description: "an exact non-negative decimal: a number, or a string to keep precision" });

  const anyFile = z.union([departmentFile, documentFile, municipalityFile, unitsFile]);
  const generated = z.toJSONSchema(anyFile, {
    metadata: registry,
    // What a person writes (before zod's transforms), which is what the files contain.
    io: "input",
    target: "draft-2020-12",
    override: ({ zodSchema, jsonSchema }) => {
      // The decimal's check sits after a transform, invisible in the input schema; state it.
      if (zodSchema === decimal) {
        for (const key of Object.keys(jsonSchema)) if (key !== "description") delete (jsonSchema as Record<string, unknown>)[key];
        Object.assign(jsonSchema, {
          anyOf: [
            { type: "number", minimum: 0 },
            { type: "string", pattern: "^\\s*\\d+(\\.\\d+)?\\s*$" },
          ],
        });
      }
    },
  });
  const { $schema, $defs, ...root } = generated as { $schema: string; $defs: Record<string, unknown> } & Record<string, unknown>;
  return {
    $schema,
    $id: "https://github.com/welfare-graph/welfare-graph/docs/data-format.schema.json",
    title: "welfare-graph dataset files",
    description:
      "The importer's file format (docs/data-format.md). Validate each file against its kind: " +
      Object.entries(fileKinds)
        .map(([name, what]) => `#/$defs/${name} for ${what}`)
        .join("; ") +
      ". Rules across files (unit, ward and group keys exist; pages within the document; stated totals add up; " +
      "the municipality code's check digit; unique keys) are checked by `pnpm db:import --dry-run`.",
    ...root,
    $defs,
  };
}

export const printedFormatSchema = () => `${JSON.stringify(formatJsonSchema(), null, 2)}\n`;

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(formatSchemaFile, printedFormatSchema());
  console.log(`wrote ${formatSchemaFile}`);
}
