// The published format (docs/data-format.schema.json) is generated from the importer's zod
// schemas; these tests keep it fresh and prove it accepts what the importer accepts.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { Ajv2020 } from "ajv/dist/2020.js";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { type FileKind, formatSchemaFile, printedFormatSchema } from "../packages/server/src/import/json-schema.ts";
import { loadDataset } from "../packages/server/src/import/load.ts";
import type { Json } from "./support/app.ts";

const repo = path.join(import.meta.dirname, "..");
const exampleDataset = path.join(repo, "docs/examples/minimal-dataset");
const schema = JSON.parse(readFileSync(formatSchemaFile, "utf8"));
// zod writes `format: "uri"` for z.url(); the WHATWG URL parser is the same rule zod applies.
const ajv = new Ajv2020({ allErrors: true, strict: true, formats: { uri: (value: string) => URL.canParse(value) } });
ajv.addSchema(schema, "format");

function kindOf(file: string): FileKind {
  const name = path.basename(file).replace(/\.(ya?ml|json)$/, "");
  if (name === "units") return "unitsFile";
  if (name === "municipality") return "municipalityFile";
  if (name === "document") return "documentFile";
  return "departmentFile";
}

function dataFiles(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const file = path.join(dir, name);
      if (statSync(file).isDirectory()) return dataFiles(file);
      return /\.(ya?ml|json)$/.test(name) ? [file] : [];
    });
}

function validate(file: string) {
  const check = ajv.getSchema(`format#/$defs/${kindOf(file)}`);
  if (!check) throw new Error(`no schema for ${file}`);
  const valid = check(parse(readFileSync(file, "utf8")));
  return { valid, errors: check.errors };
}

describe("docs/data-format.schema.json", () => {
  it("is up to date with the importer's zod schemas (run `pnpm format:schema` after changing format.ts)", () => {
    expect(readFileSync(formatSchemaFile, "utf8")).toBe(printedFormatSchema());
  });

  it("accepts every file of the bundled dataset", () => {
    const files = dataFiles(path.join(repo, "data"));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect({ file, ...validate(file) }).toMatchObject({ file, valid: true });
  });

  it("accepts the documented minimal example, which the importer also accepts", () => {
    const files = dataFiles(exampleDataset);
    expect(files.map((f) => path.relative(exampleDataset, f))).toEqual([
      "999997/2024/01-welfare-policy.yaml",
      "999997/2024/document.yaml",
      "999997/municipality.yaml",
      "units.yaml",
    ]);
    for (const file of files) expect({ file, ...validate(file) }).toMatchObject({ file, valid: true });
    expect(loadDataset(exampleDataset).issues).toEqual([]);
  });

  it("shows the minimal example in docs/data-format.md as it is on disk", () => {
    const doc = readFileSync(path.join(repo, "docs/data-format.md"), "utf8");
    for (const file of dataFiles(exampleDataset)) expect(doc).toContain(readFileSync(file, "utf8"));
  });

  it("rejects what the importer rejects within one file: negative, non-numeric, unknown field, bad key", () => {
    const department = parse(readFileSync(path.join(exampleDataset, "999997/2024/01-welfare-policy.yaml"), "utf8"));
    const check = ajv.getSchema("format#/$defs/departmentFile")!;
    const broken = (mutate: (d: Json) => void) => {
      const copy = structuredClone(department);
      mutate(copy);
      return check(copy);
    };
    expect(broken(() => {})).toBe(true);
    expect(broken((d) => (d.projects[0].amountThousandYen = -1))).toBe(false);
    expect(broken((d) => (d.projects[0].amountThousandYen = "483"))).toBe(false);
    expect(broken((d) => (d.projects[0].beneficiaries[0].value = -3))).toBe(false);
    expect(broken((d) => (d.projects[0].beneficiaries[0].value = "300 households"))).toBe(false);
    expect(broken((d) => (d.projects[0].beneficiaries[0].value = "12.5"))).toBe(true);
    expect(broken((d) => (d.projects[0].amount = 1))).toBe(false);
    expect(broken((d) => (d.projects[0].key = "Public Assistance"))).toBe(false);
    expect(broken((d) => (d.projects[0].flags = ["SPECIAL"]))).toBe(false);
  });
});
