// Reads and validates a dataset tree completely before anything is written: every problem is
// collected with its file, record path and line, so one run shows them all.
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { basename, dirname, join, relative, resolve } from "node:path";
import { LineCounter, parseDocument } from "yaml";
import type { z } from "zod";
import {
  type BeneficiaryFigureInput,
  beneficiaryFigure,
  beneficiaryGroup,
  type DepartmentFile,
  type DocumentFile,
  departmentFile,
  departmentHeader,
  documentFile,
  key,
  type MunicipalityFile,
  municipalityFile,
  page,
  project,
  type UnitsFile,
  type UsageFigureInput,
  unit,
  unitsFile,
  usageFigure,
  ward,
} from "./format.ts";
import { isValidMunicipalityCode } from "./municipality-code.ts";

export interface ImportIssue {
  file: string;
  /** Record path inside the file, e.g. `projects[3].usage[0].unit`. */
  path: string;
  line?: number;
  message: string;
}

export interface LoadedDepartment {
  file: string;
  order: number;
  data: DepartmentFile;
}

/** One source document with everything needed to import it as a whole. */
export interface DocumentBundle {
  dir: string;
  municipality: MunicipalityFile;
  document: DocumentFile;
  departments: LoadedDepartment[];
}

export interface LoadedDataset {
  units: UnitsFile;
  bundles: DocumentBundle[];
}

const DATA_EXTENSIONS = [".yaml", ".yml", ".json"];

export class DatasetInvalidError extends Error {
  constructor(readonly issues: ImportIssue[]) {
    super(`${issues.length} problem(s) in the import files:\n${formatIssues(issues)}`);
    this.name = "DatasetInvalidError";
  }
}

export function formatIssues(issues: ImportIssue[]): string {
  return [...issues]
    .sort((a, b) => a.file.localeCompare(b.file) || (a.line ?? 0) - (b.line ?? 0))
    .map((i) => `${i.file}${i.line ? `:${i.line}` : ""}${i.path ? ` ${i.path}` : ""}: ${i.message}`)
    .join("\n");
}

function formatPath(path: ReadonlyArray<PropertyKey>): string {
  let out = "";
  for (const part of path) {
    out += typeof part === "number" ? `[${part}]` : out ? `.${String(part)}` : String(part);
  }
  return out;
}

interface ParsedFile<T> {
  value?: T;
  /** The file's content when it is well-formed but not valid: what is valid in it still gets checked. */
  raw?: unknown;
  lineOf: (path: ReadonlyArray<PropertyKey>) => number | undefined;
}

function parseFile<T>(file: string, schema: z.ZodType<T>, issues: ImportIssue[], displayRoot: string): ParsedFile<T> {
  const shown = relative(displayRoot, file) || file;
  const lineCounter = new LineCounter();
  const text = readFileSync(file, "utf8");
  // YAML would accept JSON's near misses (trailing commas, comments, single quotes); a .json
  // file must be JSON, so JSON.parse judges it and YAML only maps record paths to lines.
  if (file.endsWith(".json")) {
    const error = jsonSyntaxError(text);
    if (error) {
      issues.push({ file: shown, path: "", line: error.line, message: `malformed JSON: ${error.message}` });
      return { lineOf: () => undefined };
    }
  }
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, uniqueKeys: true });
  const lineOf = (path: ReadonlyArray<PropertyKey>) => {
    for (let n = path.length; n >= 0; n--) {
      const node = doc.getIn(path.slice(0, n) as unknown[], true) as { range?: [number, number, number] } | undefined;
      if (node && typeof node === "object" && node.range) return lineCounter.linePos(node.range[0]).line;
    }
    return undefined;
  };
  const [syntaxError, ...cascade] = doc.errors;
  if (syntaxError) {
    // After the first syntax error the parser's further complaints mostly echo it.
    const more = cascade.length ? ` (and ${cascade.length} more syntax error(s) after it; fix this one first)` : "";
    issues.push({
      file: shown,
      path: "",
      line: lineCounter.linePos(syntaxError.pos[0]).line,
      message: `malformed ${file.endsWith(".json") ? "JSON" : "YAML"}: ${syntaxError.message.split("\n")[0]}${more}`,
    });
    return { lineOf };
  }
  const raw = doc.toJS();
  const result = schema.safeParse(raw);
  if (!result.success) {
    for (const issue of result.error.issues) {
      issues.push({ file: shown, path: formatPath(issue.path), line: lineOf(issue.path), message: issue.message });
    }
    return { raw, lineOf };
  }
  return { value: result.data, lineOf };
}

function jsonSyntaxError(text: string): { message: string; line: number } | undefined {
  try {
    JSON.parse(text);
    return undefined;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // V8 names the offset ("… in JSON at position 8"); without one the input ended early.
    const position = Number(/at position (\d+)/.exec(message)?.[1] ?? text.length);
    return { message: message.replace(/ \(line \d+ column \d+\)$/, ""), line: text.slice(0, position).split("\n").length };
  }
}

function findDataFile(dir: string, stem: string): string | undefined {
  for (const ext of DATA_EXTENSIONS) {
    const file = join(dir, stem + ext);
    if (existsSync(file)) return file;
  }
  return undefined;
}

/** The dataset root is the nearest folder at or above `start` that holds units.yaml. */
export function findDataRoot(start: string): string | undefined {
  let dir = resolve(start);
  if (existsSync(dir) && statSync(dir).isFile()) dir = dirname(dir);
  for (;;) {
    if (findDataFile(dir, "units")) return dir;
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
}

function findDocumentDirs(path: string): string[] {
  const dir = resolve(path);
  if (!statSync(dir).isDirectory()) return [];
  if (findDataFile(dir, "document")) return [dir];
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory())
    .map((e) => e.name)
    .sort()
    .flatMap((name) => findDocumentDirs(join(dir, name)));
}

/**
 * Loads every document folder found at or below `path` (a document folder holds document.yaml;
 * its parent holds municipality.yaml; an ancestor holds units.yaml) and validates all of it.
 */
export function loadDataset(path: string): { dataset: LoadedDataset; issues: ImportIssue[] } {
  const issues: ImportIssue[] = [];
  const empty = { dataset: { units: [], bundles: [] }, issues };
  if (!existsSync(path)) {
    issues.push({ file: path, path: "", message: "no such file or folder" });
    return empty;
  }
  const root = findDataRoot(path);
  if (!root) {
    issues.push({ file: path, path: "", message: "no units.yaml at or above this path: not a dataset folder" });
    return empty;
  }
  const displayRoot = dirname(root);
  const unitsPath = findDataFile(root, "units") as string;
  const unitsParsed = parseFile(unitsPath, unitsFile, issues, displayRoot);
  const units = unitsParsed.value ?? [];
  const unitKeys = new Set((unitsParsed.value ?? salvageList(unitsParsed.raw, unit)).flatMap((u) => (u ? [u.key] : [])));

  const dirs = findDocumentDirs(path);
  if (dirs.length === 0) {
    issues.push({ file: relative(displayRoot, resolve(path)) || path, path: "", message: "no document.yaml found at or below this path" });
  }
  const bundles: DocumentBundle[] = [];
  const documentKeys = new Map<string, string>();
  for (const dir of dirs) {
    const bundle = loadBundle(dir, unitKeys, issues, displayRoot);
    if (!bundle) continue;
    const shown = relative(displayRoot, dir);
    const previous = documentKeys.get(bundle.document.key);
    if (previous) {
      issues.push({ file: shown, path: "key", message: `document key "${bundle.document.key}" is also used by ${previous}` });
    }
    documentKeys.set(bundle.document.key, shown);
    bundles.push(bundle);
  }
  return { dataset: { units, bundles }, issues };
}

function loadBundle(dir: string, unitKeys: Set<string>, issues: ImportIssue[], displayRoot: string): DocumentBundle | undefined {
  const before = issues.length;
  const shownDir = relative(displayRoot, dir);
  const municipalityPath = findDataFile(dirname(dir), "municipality");
  if (!municipalityPath) {
    issues.push({ file: relative(displayRoot, dirname(dir)), path: "", message: "municipality.yaml is missing beside this document folder" });
  }
  const municipalityParsed = municipalityPath ? parseFile(municipalityPath, municipalityFile, issues, displayRoot) : undefined;
  const municipality = municipalityParsed?.value;
  if (municipality && municipalityPath) {
    const shown = relative(displayRoot, municipalityPath);
    if (!isValidMunicipalityCode(municipality.code)) {
      issues.push({
        file: shown,
        path: "code",
        line: municipalityParsed.lineOf(["code"]),
        message: `"${municipality.code}" is not a valid 全国地方公共団体コード: its check digit is wrong`,
      });
    }
    const folder = basename(dirname(municipalityPath));
    if (folder !== municipality.code) {
      issues.push({
        file: shown,
        path: "code",
        line: municipalityParsed.lineOf(["code"]),
        message: `code "${municipality.code}" does not match its folder "${folder}"`,
      });
    }
  }

  const documentPath = findDataFile(dir, "document") as string;
  const documentParsed = parseFile(documentPath, documentFile, issues, displayRoot);
  const document = documentParsed.value;
  if (document && String(document.fiscalYear) !== basename(dir)) {
    issues.push({
      file: relative(displayRoot, documentPath),
      path: "fiscalYear",
      line: documentParsed.lineOf(["fiscalYear"]),
      message: `fiscal year ${document.fiscalYear} does not match its folder "${basename(dir)}"`,
    });
  }

  // An invalid municipality file still lends its valid wards and groups to the checks below.
  const municipalityRaw = record(municipalityParsed?.raw);
  const wards = municipality ? (municipality.wards ?? []) : salvageList(municipalityRaw.wards, ward);
  const wardKeys = new Set(wards.flatMap((w) => (w ? [w.key] : [])));
  const groups = new Map<string, { nameJa: string; nameEn: string; where: string }>();
  const declareGroup = (g: { key: string; nameJa: string; nameEn: string }, where: string, line?: number) => {
    const existing = groups.get(g.key);
    if (existing && (existing.nameJa !== g.nameJa || existing.nameEn !== g.nameEn)) {
      issues.push({ file: where, path: `beneficiaryGroups`, line, message: `group "${g.key}" is declared differently in ${existing.where}` });
      return;
    }
    if (!existing) groups.set(g.key, { ...g, where });
  };
  (municipality ? (municipality.beneficiaryGroups ?? []) : salvageList(municipalityRaw.beneficiaryGroups, beneficiaryGroup)).forEach(
    (g, i) => g && declareGroup(g, relative(displayRoot, municipalityPath as string), municipalityParsed?.lineOf(["beneficiaryGroups", i])),
  );

  const departmentFiles = readdirSync(dir)
    .filter((name) => DATA_EXTENSIONS.some((ext) => name.endsWith(ext)))
    .filter((name) => !/^document\.(ya?ml|json)$/.test(name))
    .sort();
  const departments: Array<{ file: string; order: number; data?: DepartmentFile; check: CheckableDepartment; lineOf: ParsedFile<unknown>["lineOf"] }> = [];
  for (const [index, name] of departmentFiles.entries()) {
    const file = join(dir, name);
    const parsed = parseFile(file, departmentFile, issues, displayRoot);
    if (!parsed.value && parsed.raw === undefined) continue;
    const shown = relative(displayRoot, file);
    const check = parsed.value ? checkable(parsed.value) : salvageDepartment(parsed.raw);
    check.beneficiaryGroups.forEach((g, i) => g && declareGroup(g, shown, parsed.lineOf(["beneficiaryGroups", i])));
    departments.push({ file: shown, order: index + 1, ...(parsed.value ? { data: parsed.value } : {}), check, lineOf: parsed.lineOf });
  }
  if (departmentFiles.length === 0) {
    issues.push({ file: shownDir, path: "", message: "no department files beside document.yaml" });
  }

  // Cross-record checks need every file parsed first.
  const departmentKeys = new Map<string, string>();
  const projectKeys = new Map<string, string>();
  const pageCount = document ? document.pageCount : parsedOrUndefined(page, record(documentParsed.raw).pageCount);
  for (const dept of departments) {
    const at = (path: PropertyKey[], message: string) => issues.push({ file: dept.file, path: formatPath(path), line: dept.lineOf(path), message });
    const d = dept.check.department;
    const seen = d && departmentKeys.get(d.key);
    if (d && seen) at(["department", "key"], `department "${d.key}" is also defined in ${seen}`);
    if (d && !seen) departmentKeys.set(d.key, dept.file);

    const checkPage = (path: PropertyKey[], value: number | undefined) => {
      if (value !== undefined && pageCount !== undefined && value > pageCount) {
        at(path, `page ${value} is outside the document (it has ${pageCount} pages)`);
      }
    };
    const checkFigure = (path: PropertyKey[], figure: { unit: string; ward?: string | undefined; page?: number | undefined }) => {
      if (!unitKeys.has(figure.unit)) at([...path, "unit"], `unknown unit "${figure.unit}" (see units.yaml)`);
      if (figure.ward && !wardKeys.has(figure.ward)) {
        at([...path, "ward"], `unknown ward "${figure.ward}" (the municipality has: ${[...wardKeys].join(", ") || "no wards"})`);
      }
      checkPage([...path, "page"], figure.page);
    };
    const checkProject = (path: PropertyKey[], p: CheckableProject) => {
      const other = p.key === undefined ? undefined : projectKeys.get(p.key);
      if (other) at([...path, "key"], `duplicate project key "${p.key}" (also at ${other})`);
      if (p.key !== undefined && !other) projectKeys.set(p.key, `${dept.file} ${formatPath(path)}`);
      checkPage([...path, "page"], p.page);
      p.beneficiaries.forEach((b, i) => {
        if (!b) return;
        checkFigure([...path, "beneficiaries", i], b);
        if (!groups.has(b.group)) at([...path, "beneficiaries", i, "group"], `unknown beneficiary group "${b.group}"`);
      });
      p.usage.forEach((u, i) => u && checkFigure([...path, "usage", i], u));
      // With an invalid figure among them the sums would mislead; its own issue is reported.
      if (p.beneficiaries.every(Boolean)) checkStatedTotals(path, "beneficiaries", p.beneficiaries as BeneficiaryFigureInput[], (b) => b.group, at);
      if (p.usage.every(Boolean)) checkStatedTotals(path, "usage", p.usage as UsageFigureInput[], (u) => u.metric, at);
    };
    dept.check.projects.forEach((p, i) => {
      if (!p) return;
      checkProject(["projects", i], p);
      p.lineItems.forEach((item, j) => item && checkProject(["projects", i, "lineItems", j], item));
    });
  }

  if (issues.length > before || !municipality || !document) return undefined;
  return {
    dir: shownDir,
    municipality: {
      ...municipality,
      beneficiaryGroups: [...groups.entries()].map(([key, g]) => ({ key, nameJa: g.nameJa, nameEn: g.nameEn })),
    },
    document,
    departments: departments.flatMap(({ file, order, data }) => (data ? [{ file, order, data }] : [])),
  };
}

// What the checks across records look at. A file that failed validation is salvaged record by
// record (invalid records become holes, keeping indexes), so the checks still run on the rest
// of it and one run reports every problem, not only the first broken file's.
interface CheckableProject {
  key?: string | undefined;
  page?: number | undefined;
  beneficiaries: Array<BeneficiaryFigureInput | undefined>;
  usage: Array<UsageFigureInput | undefined>;
  lineItems: Array<CheckableProject | undefined>;
}

interface CheckableDepartment {
  department?: { key: string } | undefined;
  beneficiaryGroups: Array<{ key: string; nameJa: string; nameEn: string } | undefined>;
  projects: Array<CheckableProject | undefined>;
}

function checkable(file: DepartmentFile): CheckableDepartment {
  const toProject = (p: DepartmentFile["projects"][number] | NonNullable<DepartmentFile["projects"][number]["lineItems"]>[number]): CheckableProject => ({
    key: p.key,
    page: p.page,
    beneficiaries: p.beneficiaries ?? [],
    usage: p.usage ?? [],
    lineItems: "lineItems" in p ? (p.lineItems ?? []).map(toProject) : [],
  });
  return { department: file.department, beneficiaryGroups: file.beneficiaryGroups ?? [], projects: file.projects.map(toProject) };
}

function record(raw: unknown): Record<string, unknown> {
  return raw !== null && typeof raw === "object" && !Array.isArray(raw) ? (raw as Record<string, unknown>) : {};
}

function parsedOrUndefined<T>(schema: z.ZodType<T>, raw: unknown): T | undefined {
  const result = schema.safeParse(raw);
  return result.success ? result.data : undefined;
}

function salvageList<T>(raw: unknown, schema: z.ZodType<T>): Array<T | undefined> {
  return Array.isArray(raw) ? raw.map((item) => parsedOrUndefined(schema, item)) : [];
}

function salvageProject(raw: unknown): CheckableProject {
  const o = record(raw);
  const valid = parsedOrUndefined(project, raw);
  if (valid) return checkable({ department: { key: "-", nameJa: "-", nameEn: "-" }, projects: [valid] }).projects[0] as CheckableProject;
  return {
    key: parsedOrUndefined(key, o.key),
    page: parsedOrUndefined(page, o.page),
    beneficiaries: salvageList(o.beneficiaries, beneficiaryFigure),
    usage: salvageList(o.usage, usageFigure),
    lineItems: Array.isArray(o.lineItems) ? o.lineItems.map(salvageProject) : [],
  };
}

function salvageDepartment(raw: unknown): CheckableDepartment {
  const o = record(raw);
  return {
    department: parsedOrUndefined(departmentHeader, o.department),
    beneficiaryGroups: salvageList(o.beneficiaryGroups, beneficiaryGroup),
    projects: Array.isArray(o.projects) ? o.projects.map(salvageProject) : [],
  };
}

interface TotalledFigure {
  value: string;
  unit: string;
  ward?: string | undefined;
  fiscalYear?: number | undefined;
  asOf?: string | undefined;
  category?: string | undefined;
  totalOf?: string[] | undefined;
}

/** Scaled integer arithmetic, so 33.3 + 66.7 is exactly 100.0. */
function sumDecimals(values: string[]): string {
  const scale = Math.max(0, ...values.map((v) => v.split(".")[1]?.length ?? 0));
  const total = values.reduce((acc, v) => {
    const [whole = "0", frac = ""] = v.split(".");
    return acc + BigInt(whole + frac.padEnd(scale, "0"));
  }, 0n);
  const digits = total.toString().padStart(scale + 1, "0");
  return scale ? `${digits.slice(0, -scale)}.${digits.slice(-scale)}` : digits;
}

function sameDecimal(a: string, b: string): boolean {
  const canonical = (v: string) => (v.includes(".") ? v.replace(/0+$/, "").replace(/\.$/, "") : v);
  return canonical(a) === canonical(b);
}

function checkStatedTotals<F extends TotalledFigure>(
  projectPath: PropertyKey[],
  kind: "beneficiaries" | "usage",
  figures: F[],
  keyOf: (figure: F) => string,
  at: (path: PropertyKey[], message: string) => void,
) {
  figures.forEach((total, index) => {
    if (!total.totalOf) return;
    const names = new Set(total.totalOf);
    const parts = figures.filter(
      (f, i) =>
        i !== index &&
        !f.totalOf &&
        names.has(keyOf(f)) &&
        f.unit === total.unit &&
        f.fiscalYear === total.fiscalYear &&
        f.asOf === total.asOf &&
        f.category === total.category &&
        // A total of its own key sums that key's ward breakdown.
        (keyOf(f) !== keyOf(total) || (f.ward !== undefined && total.ward === undefined)),
    );
    const path = [...projectPath, kind, index, "totalOf"];
    if (parts.length === 0) {
      at(path, `stated total ${total.value} has no parts: no figures of ${[...names].join(", ")} with the same unit, year and date`);
      return;
    }
    const sum = sumDecimals(parts.map((p) => p.value));
    if (!sameDecimal(sum, total.value)) {
      at(path, `stated total ${total.value} does not equal the sum of its ${parts.length} parts (${sum})`);
    }
  });
}
