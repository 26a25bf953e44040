// Bad input never reaches the database: every problem is reported with file, record path and
// line, the CLI exits non-zero, and every table keeps its checksum. Each case breaks a copy of
// the documented minimal example, which the database already holds (so a bad file would
// replace a real document), next to the bundled dataset.
import { renameSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadBundledDataset } from "../packages/server/src/app-database.ts";
import { DatasetInvalidError, formatIssues, type ImportIssue, loadDataset } from "../packages/server/src/import/load.ts";
import { tableChecksums } from "./support/checksum.ts";
import { engines } from "./support/databases.ts";
import { type CliRun, copyDataset, type DatasetCopy, exampleDataset, lineOf, runImportCli, runImportCommand } from "./support/import-files.ts";
import { createImportTarget, type ImportTarget } from "./support/import-target.ts";

const DEPARTMENT = "999997/2024/01-welfare-policy.yaml";
const shown = (file: string) => `dataset/${file}`;

interface Expected extends Omit<ImportIssue, "message"> {
  message: string | RegExp;
}

interface BadInputCase {
  name: string;
  /** Breaks the copy; returns every issue the importer must report, no more, no fewer. */
  breakIt(copy: DatasetCopy): Expected[];
}

const cases: BadInputCase[] = [
  {
    name: "malformed YAML",
    breakIt: (copy) => [
      {
        file: shown(DEPARTMENT),
        path: "",
        // The parser notices the unclosed [ where the next line starts.
        line: copy.replace(DEPARTMENT, "nameEn: Consultation Support", "nameEn: [Consultation Support") + 1,
        message: /^malformed YAML: Flow sequence .* must be sufficiently indented and end with a \] \(and \d+ more syntax error/,
      },
    ],
  },
  {
    name: "malformed JSON",
    breakIt: (copy) => {
      const text = '{\n  "key": "sample-fy2024-welfare-report",\n  "titleJa": "令和6年度 福祉事業実績報告",\n  "pageCount": 2,\n}\n';
      copy.remove("999997/2024/document.yaml");
      copy.write("999997/2024/document.json", text);
      return [{ file: shown("999997/2024/document.json"), path: "", line: 5, message: /^malformed JSON: .*position/ }];
    },
  },
  {
    name: "unknown unit",
    breakIt: (copy) => [
      {
        file: shown(DEPARTMENT),
        path: "projects[1].usage[0].unit",
        line: copy.replace(DEPARTMENT, "value: 42, unit: CASES", "value: 42, unit: CALLS"),
        message: 'unknown unit "CALLS" (see units.yaml)',
      },
    ],
  },
  {
    name: "negative amount",
    breakIt: (copy) => [
      {
        file: shown(DEPARTMENT),
        path: "projects[0].amountThousandYen",
        line: copy.replace(DEPARTMENT, "amountThousandYen: 483", "amountThousandYen: -483"),
        message: "must not be negative: 実績額 is zero or more thousand yen",
      },
    ],
  },
  {
    name: "negative figure value",
    breakIt: (copy) => [
      {
        file: shown(DEPARTMENT),
        path: "projects[0].beneficiaries[0].value",
        line: copy.replace(DEPARTMENT, "value: 300,", "value: -300,"),
        message: "must be a non-negative decimal number such as 1248 or 99.1",
      },
    ],
  },
  {
    name: "non-numeric amount",
    breakIt: (copy) => [
      {
        file: shown(DEPARTMENT),
        path: "projects[0].amountThousandYen",
        line: copy.replace(DEPARTMENT, "amountThousandYen: 483", "amountThousandYen: 約483"),
        message: 'must be a number of thousand yen, or null where the source shows ー (got "約483")',
      },
    ],
  },
  {
    name: "projects under an unknown (missing) department",
    breakIt: (copy) => {
      copy.replace(DEPARTMENT, "department: { key: welfare-policy, nameJa: 福祉政策課, nameEn: Welfare Policy Division }\n", "");
      return [
        {
          file: shown(DEPARTMENT),
          path: "department",
          line: 1,
          message: "missing: every department file starts with department: { key, nameJa, nameEn }, the department (所属) its projects belong to",
        },
      ];
    },
  },
  {
    name: "unknown beneficiary group",
    breakIt: (copy) => [
      {
        file: shown(DEPARTMENT),
        path: "projects[0].beneficiaries[1].group",
        line: copy.replace(DEPARTMENT, "group: public-assistance-households, value: 200", "group: assisted-households, value: 200"),
        message: 'unknown beneficiary group "assisted-households"',
      },
      // A true consequence, so reported too: the stated total has lost one of its parts.
      {
        file: shown(DEPARTMENT),
        path: "projects[0].beneficiaries[2].totalOf",
        line: lineOf(copy.read(DEPARTMENT), "value: 500,"),
        message: "stated total 500 does not equal the sum of its 1 parts (300)",
      },
    ],
  },
  {
    name: "unknown ward",
    breakIt: (copy) => [
      {
        file: shown(DEPARTMENT),
        path: "projects[0].beneficiaries[1].ward",
        line: copy.replace(DEPARTMENT, "ward: SOUTH", "ward: EAST"),
        message: 'unknown ward "EAST" (the municipality has: NORTH, SOUTH)',
      },
    ],
  },
  {
    name: "duplicate project key",
    breakIt: (copy) => [
      {
        file: shown(DEPARTMENT),
        path: "projects[1].lineItems[1].key",
        line: copy.replace(DEPARTMENT, "key: consultation-support-visits", "key: public-assistance-audit"),
        message: `duplicate project key "public-assistance-audit" (also at ${shown(DEPARTMENT)} projects[0])`,
      },
    ],
  },
  {
    name: "duplicate department",
    breakIt: (copy) => {
      copy.write(
        "999997/2024/02-welfare-policy-again.yaml",
        copy
          .read(DEPARTMENT)
          .replaceAll("key: consultation-support", "key: again-consultation-support")
          .replace("key: public-assistance-audit", "key: again-audit"),
      );
      return [
        {
          file: shown("999997/2024/02-welfare-policy-again.yaml"),
          path: "department.key",
          line: 1,
          message: `department "welfare-policy" is also defined in ${shown(DEPARTMENT)}`,
        },
      ];
    },
  },
  {
    name: "wrong municipality code (check digit)",
    breakIt: (copy) => {
      const line = copy.replace("999997/municipality.yaml", 'code: "999997"', 'code: "999998"');
      renameSync(path.join(copy.root, "999997"), path.join(copy.root, "999998"));
      return [
        {
          file: shown("999998/municipality.yaml"),
          path: "code",
          line,
          message: '"999998" is not a valid 全国地方公共団体コード: its check digit is wrong',
        },
      ];
    },
  },
  {
    name: "page outside the document",
    breakIt: (copy) => [
      {
        file: shown(DEPARTMENT),
        path: "projects[1].lineItems[0].page",
        line: copy.replace(DEPARTMENT, "Telephone consultation, page: 2", "Telephone consultation, page: 3"),
        message: "page 3 is outside the document (it has 2 pages)",
      },
    ],
  },
  {
    name: "stated total that does not add up",
    breakIt: (copy) => [
      {
        file: shown(DEPARTMENT),
        path: "projects[0].beneficiaries[2].totalOf",
        line: copy.replace(DEPARTMENT, "value: 500,", "value: 501,"),
        message: "stated total 501 does not equal the sum of its 2 parts (500)",
      },
    ],
  },
  {
    name: "several problems in several files, all reported in one run",
    breakIt: (copy) => {
      const unitsLine = copy.replace("units.yaml", "key: CASES", "key: cases");
      const codeLine = lineOf(copy.read("999997/municipality.yaml"), "code:");
      copy.replace("999997/municipality.yaml", 'code: "999997"', 'code: "99999"');
      const pageLine = copy.replace(DEPARTMENT, "    page: 1\n", "    page: 30\n");
      const amountLine = copy.replace(DEPARTMENT, "amountThousandYen: 1200", "amountThousandYen: -1");
      const unitLine = copy.replace(DEPARTMENT, "value: 42, unit: CASES", "value: 42, unit: CALLS");
      return [
        { file: shown("units.yaml"), path: "[2].key", line: unitsLine, message: "must be SCREAMING_CASE ASCII" },
        { file: shown("999997/municipality.yaml"), path: "code", line: codeLine, message: "must be the 6-digit 全国地方公共団体コード" },
        {
          file: shown(DEPARTMENT),
          path: "projects[1].amountThousandYen",
          line: amountLine,
          message: "must not be negative: 実績額 is zero or more thousand yen",
        },
        { file: shown(DEPARTMENT), path: "projects[1].usage[0].unit", line: unitLine, message: 'unknown unit "CALLS" (see units.yaml)' },
        { file: shown(DEPARTMENT), path: "projects[0].page", line: pageLine, message: "page 30 is outside the document (it has 2 pages)" },
      ];
    },
  },
];

function expectIssues(actual: ImportIssue[], expected: Expected[]) {
  const order = <T extends { file: string; path: string }>(list: T[]) => [...list].sort((a, b) => `${a.file} ${a.path}`.localeCompare(`${b.file} ${b.path}`));
  expect(order(actual)).toEqual(order(expected).map((e) => ({ ...e, message: typeof e.message === "string" ? e.message : expect.stringMatching(e.message) })));
}

describe.each(engines())("bad input on %s", (kind) => {
  let target: ImportTarget;
  let before: Record<string, string>;

  beforeAll(async () => {
    // The bundled dataset comes with the database (the global setup's loaded template).
    target = await createImportTarget(kind, { load: true });
    before = await target.withDatabase(async (handle) => {
      await loadBundledDataset(handle, exampleDataset);
      return tableChecksums(handle.db);
    });
    expect(before.project).toMatch(/^[1-9]\d* rows/);
  });
  afterAll(() => target?.drop());

  it("starts from a copy the importer accepts (so each case below fails for its own reason)", () => {
    const copy = copyDataset(exampleDataset);
    try {
      expect(loadDataset(copy.root).issues).toEqual([]);
    } finally {
      copy.dispose();
    }
  });

  const broken = cases.map((c) => ({ ...c, copy: undefined as unknown as DatasetCopy, expected: [] as Expected[] }));
  beforeAll(() => {
    for (const b of broken) {
      b.copy = copyDataset(exampleDataset);
      b.expected = b.breakIt(b.copy);
    }
  });
  afterAll(() => {
    for (const b of broken) b.copy?.dispose();
  });

  it.each(broken)("$name: the API reports every problem precisely and writes nothing", async (b) => {
    expectIssues(loadDataset(b.copy.root).issues, b.expected);
    await target.withDatabase(async (handle) => {
      const failure = await loadBundledDataset(handle, b.copy.root).catch((error: unknown) => error);
      expect(failure).toBeInstanceOf(DatasetInvalidError);
      expectIssues((failure as DatasetInvalidError).issues, b.expected);
      expect(await tableChecksums(handle.db)).toEqual(before);
    });
  });

  it("the CLI prints every problem with file:line and record path, exits 1, and writes nothing, in every case", async () => {
    await target.releaseForCli();
    // The bin as a child process proves the exit code and stderr of a real process, once: the
    // case with several problems in several files. Every case then runs through the command
    // that bin runs, in this process (a child process each would add only its start-up time).
    const spawned = broken.at(-1)!;
    const [real, ...runs] = await Promise.all([
      runImportCli([spawned.copy.root], { env: target.cliEnv }),
      ...broken.map((b) => runImportCommand([b.copy.root], { env: target.cliEnv })),
    ]);
    const check = (b: (typeof broken)[number], run: CliRun, how: string) => {
      const name = `${b.name} (${how})`;
      const { issues } = loadDataset(b.copy.root);
      expectIssues(issues, b.expected);
      expect({ name, code: run.code, stdout: run.stdout }).toEqual({ name, code: 1, stdout: "" });
      expect(run.stderr, name).toContain(`${formatIssues(issues)}\n\n${b.expected.length} problem(s); nothing was imported.`);
    };
    check(spawned, real!, "child process");
    expect(runs[broken.length - 1]).toEqual(real);
    for (const [i, run] of runs.entries()) check(broken[i]!, run, "in process");
    expect(await target.withDatabase((handle) => tableChecksums(handle.db))).toEqual(before);
  });
});
