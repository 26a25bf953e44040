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

/**
 * One document folder, read and validated in named steps: its municipality, its document, the
 * beneficiary groups both declare, its department files, then the checks across all of them.
 * Undefined when anything in it is invalid (every problem is in `issues`).
 */
function loadBundle(dir: string, unitKeys: Set<string>, issues: ImportIssue[], displayRoot: string): DocumentBundle | undefined {
  const before = issues.length;
  const context: BundleContext = { issues, displayRoot, shown: (file) => relative(displayRoot, file) };
  const municipality = readMunicipality(dir, context);
  const document = readDocument(dir, context);
  const groups = new GroupDeclarations(issues);
  const wardKeys = declareMunicipalityCatalog(municipality, groups, context);
  const departments = readDepartments(dir, groups, context);
  checkDepartments(departments, { unitKeys, wardKeys, groups, pageCount: document.pageCount }, context);

  if (issues.length > before || !municipality.value || !document.value) return undefined;
  return {
    dir: relative(displayRoot, dir),
    municipality: { ...municipality.value, beneficiaryGroups: groups.list() },
    document: document.value,
    departments: departments.flatMap(({ file, order, data }) => (data ? [{ file, order, data }] : [])),
  };
}

interface BundleContext {
  issues: ImportIssue[];
  displayRoot: string;
  shown: (file: string) => string;
}

/** municipality.yaml beside the document folder: valid code (check digit) matching its folder. */
function readMunicipality(
  dir: string,
  { issues, displayRoot, shown }: BundleContext,
): { value?: MunicipalityFile; parsed?: ParsedFile<MunicipalityFile>; path?: string } {
  const path = findDataFile(dirname(dir), "municipality");
  if (!path) {
    issues.push({ file: shown(dirname(dir)), path: "", message: "municipality.yaml is missing beside this document folder" });
    return {};
  }
  const parsed = parseFile(path, municipalityFile, issues, displayRoot);
  const value = parsed.value;
  if (value) {
    const at = (message: string) => issues.push({ file: shown(path), path: "code", line: parsed.lineOf(["code"]), message });
    if (!isValidMunicipalityCode(value.code)) at(`"${value.code}" is not a valid 全国地方公共団体コード: its check digit is wrong`);
    const folder = basename(dirname(path));
    if (folder !== value.code) at(`code "${value.code}" does not match its folder "${folder}"`);
  }
  return { ...(value ? { value } : {}), parsed, path };
}

/** document.yaml: valid, its fiscal year matching its folder. */
function readDocument(dir: string, { issues, displayRoot, shown }: BundleContext): { value?: DocumentFile; pageCount?: number | undefined } {
  const path = findDataFile(dir, "document") as string;
  const parsed = parseFile(path, documentFile, issues, displayRoot);
  const value = parsed.value;
  if (value && String(value.fiscalYear) !== basename(dir)) {
    issues.push({
      file: shown(path),
      path: "fiscalYear",
      line: parsed.lineOf(["fiscalYear"]),
      message: `fiscal year ${value.fiscalYear} does not match its folder "${basename(dir)}"`,
    });
  }
  const pageCount = value ? value.pageCount : parsedOrUndefined(page, record(parsed.raw).pageCount);
  return { ...(value ? { value } : {}), pageCount };
}

/** Beneficiary groups may be declared in municipality.yaml and in department files, the same way each time. */
class GroupDeclarations {
  private readonly groups = new Map<string, { nameJa: string; nameEn: string; where: string }>();
  constructor(private readonly issues: ImportIssue[]) {}

  declare(g: { key: string; nameJa: string; nameEn: string }, where: string, line?: number) {
    const existing = this.groups.get(g.key);
    if (existing && (existing.nameJa !== g.nameJa || existing.nameEn !== g.nameEn)) {
      this.issues.push({ file: where, path: `beneficiaryGroups`, line, message: `group "${g.key}" is declared differently in ${existing.where}` });
      return;
    }
    if (!existing) this.groups.set(g.key, { ...g, where });
  }

  has(key: string): boolean {
    return this.groups.has(key);
  }

  list() {
    return [...this.groups.entries()].map(([key, g]) => ({ key, nameJa: g.nameJa, nameEn: g.nameEn }));
  }
}

/** The municipality's groups and ward keys; an invalid file still lends its valid wards and groups to the checks. */
function declareMunicipalityCatalog(municipality: ReturnType<typeof readMunicipality>, groups: GroupDeclarations, { shown }: BundleContext): Set<string> {
  const raw = record(municipality.parsed?.raw);
  const value = municipality.value;
  const wards = value ? (value.wards ?? []) : salvageList(raw.wards, ward);
  (value ? (value.beneficiaryGroups ?? []) : salvageList(raw.beneficiaryGroups, beneficiaryGroup)).forEach(
    (g, i) => g && groups.declare(g, shown(municipality.path as string), municipality.parsed?.lineOf(["beneficiaryGroups", i])),
  );
  return new Set(wards.flatMap((w) => (w ? [w.key] : [])));
}

interface ReadDepartment {
  file: string;
  order: number;
  data?: DepartmentFile;
  check: CheckableDepartment;
  lineOf: ParsedFile<unknown>["lineOf"];
}

/** Every department file of the folder, in file-name order; an invalid one is salvaged for the checks. */
function readDepartments(dir: string, groups: GroupDeclarations, { issues, displayRoot, shown }: BundleContext): ReadDepartment[] {
  const files = readdirSync(dir)
    .filter((name) => DATA_EXTENSIONS.some((ext) => name.endsWith(ext)))
    .filter((name) => !/^document\.(ya?ml|json)$/.test(name))
    .sort();
  const departments: ReadDepartment[] = [];
  for (const [index, name] of files.entries()) {
    const file = join(dir, name);
    const parsed = parseFile(file, departmentFile, issues, displayRoot);
    if (!parsed.value && parsed.raw === undefined) continue;
    const check = parsed.value ? checkable(parsed.value) : salvageDepartment(parsed.raw);
    check.beneficiaryGroups.forEach((g, i) => g && groups.declare(g, shown(file), parsed.lineOf(["beneficiaryGroups", i])));
    departments.push({ file: shown(file), order: index + 1, ...(parsed.value ? { data: parsed.value } : {}), check, lineOf: parsed.lineOf });
  }
  if (files.length === 0) issues.push({ file: shown(dir), path: "", message: "no department files beside document.yaml" });
  return departments;
}

interface KnownKeys {
  unitKeys: Set<string>;
  wardKeys: Set<string>;
  groups: GroupDeclarations;
  pageCount: number | undefined;
}

/** Checks across records, once every file is parsed: unique keys, known units, wards and groups, pages in range, stated totals. */
function checkDepartments(departments: ReadDepartment[], known: KnownKeys, { issues }: BundleContext) {
  const departmentKeys = new Map<string, string>();
  const projectKeys = new Map<string, string>();
  for (const dept of departments) {
    const at = (path: PropertyKey[], message: string) => issues.push({ file: dept.file, path: formatPath(path), line: dept.lineOf(path), message });
    const d = dept.check.department;
    const seen = d && departmentKeys.get(d.key);
    if (d && seen) at(["department", "key"], `department "${d.key}" is also defined in ${seen}`);
    if (d && !seen) departmentKeys.set(d.key, dept.file);

    const checkPage = (path: PropertyKey[], value: number | undefined) => {
      if (value !== undefined && known.pageCount !== undefined && value > known.pageCount) {
        at(path, `page ${value} is outside the document (it has ${known.pageCount} pages)`);
      }
    };
    const checkFigure = (path: PropertyKey[], figure: { unit: string; ward?: string | undefined; page?: number | undefined }) => {
      if (!known.unitKeys.has(figure.unit)) at([...path, "unit"], `unknown unit "${figure.unit}" (see units.yaml)`);
      if (figure.ward && !known.wardKeys.has(figure.ward)) {
        at([...path, "ward"], `unknown ward "${figure.ward}" (the municipality has: ${[...known.wardKeys].join(", ") || "no wards"})`);
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
        if (!known.groups.has(b.group)) at([...path, "beneficiaries", i, "group"], `unknown beneficiary group "${b.group}"`);
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
