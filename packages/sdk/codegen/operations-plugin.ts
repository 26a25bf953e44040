// A graphql-codegen plugin that turns the operations in src/operations/*.graphql into what the
// client needs at run time: for each operation its method name, document text, SHA-256 hash and,
// for a connection query, where its page sits. The client then needs no GraphQL parser, and the
// persisted-documents manifest is produced from the very same strings it sends.
import { createHash } from "node:crypto";
import type { CodegenPlugin } from "@graphql-codegen/plugin-helpers";
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLSchema,
  getNamedType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  print,
  type SelectionSetNode,
  visit,
} from "graphql";

export interface OperationsPluginConfig {
  /** `module`: the TypeScript table the client reads; `manifest`: persisted-documents.json. */
  output: "module" | "manifest";
  /** Module (as imported, with its .js extension) holding the operation result and variables types. */
  typesModule?: string;
}

export interface CompiledOperation {
  /** Name in the .graphql file, e.g. `DepartmentsWithProjects`. */
  name: string;
  /** Client method name: the operation name with a lower-case first letter. */
  method: string;
  kind: "query" | "mutation" | "subscription";
  /** Exact text sent to the server: the operation, then each fragment it uses, once. */
  document: string;
  /** Hex SHA-256 of `document`: the persisted-operation id. */
  sha256: string;
  /** For a single connection field paged by `$after`: its response key; otherwise undefined. */
  connection: string | undefined;
  /** The `#` comment lines right above the operation in its .graphql file, for the method's JSDoc. */
  description: string | undefined;
}

/** The `#` comment block directly above a definition, read from its source text. */
function commentAbove(definition: OperationDefinitionNode): string | undefined {
  const source = definition.loc?.source.body;
  if (!source) return undefined;
  const lines = source.slice(0, definition.loc!.start).split("\n");
  lines.pop(); // the (empty) start of the definition's own line
  const comment: string[] = [];
  while (lines.length && /^\s*#/.test(lines.at(-1)!)) comment.unshift(lines.pop()!.replace(/^\s*#\s?/, ""));
  return comment.length ? comment.join("\n") : undefined;
}

function fragmentsUsedBy(root: OperationDefinitionNode, fragments: Map<string, FragmentDefinitionNode>): FragmentDefinitionNode[] {
  const used = new Set<string>();
  const walk = (node: OperationDefinitionNode | FragmentDefinitionNode) => {
    visit(node, {
      FragmentSpread(spread) {
        const name = spread.name.value;
        if (used.has(name)) return;
        const fragment = fragments.get(name);
        if (!fragment) throw new Error(`operation ${root.name?.value}: unknown fragment ${name}`);
        used.add(name);
        walk(fragment);
      },
    });
  };
  walk(root);
  // In the order the fragments are defined across the documents, which is also how
  // typed-document-node (documentMode: documentNode) lists them: print(typedDocument) is then
  // this very text, and hashes the same (tests/sdk-codegen.test.ts holds the two in step).
  return [...fragments.values()].filter((fragment) => used.has(fragment.name.value));
}

/** Field nodes of a selection set, with fragment spreads and inline fragments opened. */
function fieldsOf(selectionSet: SelectionSetNode, fragments: Map<string, FragmentDefinitionNode>): FieldNode[] {
  return selectionSet.selections.flatMap((selection) => {
    if (selection.kind === Kind.FIELD) return [selection];
    if (selection.kind === Kind.INLINE_FRAGMENT) return fieldsOf(selection.selectionSet, fragments);
    const fragment = fragments.get(selection.name.value);
    return fragment ? fieldsOf(fragment.selectionSet, fragments) : [];
  });
}

/**
 * The response key of the operation's connection field when the client can page it: a single
 * root field whose `after` argument is the `$after` variable and whose selection reads
 * `pageInfo { hasNextPage endCursor }` and `nodes`.
 */
function connectionOf(operation: OperationDefinitionNode, schema: GraphQLSchema, fragments: Map<string, FragmentDefinitionNode>): string | undefined {
  const rootType = schema.getRootType(operation.operation);
  const roots = fieldsOf(operation.selectionSet, fragments);
  if (!rootType || roots.length !== 1) return undefined;
  const root = roots[0]!;
  const field: GraphQLField<unknown, unknown> | undefined = rootType.getFields()[root.name.value];
  if (!field || !isObjectType(getNamedType(field.type))) return undefined;
  const after = root.arguments?.find((argument) => argument.name.value === "after");
  if (after?.value.kind !== Kind.VARIABLE || after.value.name.value !== "after") return undefined;
  if (!root.selectionSet) return undefined;
  const selected = fieldsOf(root.selectionSet, fragments);
  const pageInfo = selected.find((f) => f.name.value === "pageInfo" && !f.alias);
  const pageInfoFields = pageInfo?.selectionSet ? fieldsOf(pageInfo.selectionSet, fragments).map((f) => f.name.value) : [];
  if (!pageInfoFields.includes("hasNextPage") || !pageInfoFields.includes("endCursor")) return undefined;
  if (!selected.some((f) => f.name.value === "nodes" && !f.alias)) return undefined;
  return root.alias?.value ?? root.name.value;
}

export function compileOperations(schema: GraphQLSchema, documents: Array<DocumentNode | undefined>): CompiledOperation[] {
  const definitions = documents.flatMap((document) => document?.definitions ?? []);
  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of definitions) {
    if (definition.kind !== Kind.FRAGMENT_DEFINITION) continue;
    if (fragments.has(definition.name.value)) throw new Error(`fragment ${definition.name.value} is defined twice`);
    fragments.set(definition.name.value, definition);
  }
  const operations: CompiledOperation[] = [];
  const methods = new Set<string>();
  for (const definition of definitions) {
    if (definition.kind !== Kind.OPERATION_DEFINITION) continue;
    const name = definition.name?.value;
    if (!name) throw new Error("every operation in src/operations needs a name: the client method is named after it");
    const method = name[0]!.toLowerCase() + name.slice(1);
    // Methods share the client object with `paginate`; keep that name free.
    if (method === "paginate" || methods.has(method)) throw new Error(`operation name ${name} clashes with another client method`);
    methods.add(method);
    const document = [definition, ...fragmentsUsedBy(definition, fragments)].map((node) => print(node)).join("\n\n");
    operations.push({
      name,
      method,
      kind: definition.operation,
      document,
      sha256: createHash("sha256").update(document).digest("hex"),
      connection: connectionOf(definition, schema, fragments),
      description: commentAbove(definition),
    });
  }
  return operations.sort((a, b) => a.method.localeCompare(b.method));
}

const suffix = { query: "Query", mutation: "Mutation", subscription: "Subscription" } as const;

/** `departments` → `DepartmentsOperation`: the export an app imports to run one operation with client.request. */
export function operationExportName(op: CompiledOperation): string {
  return `${op.name}Operation`;
}

function renderModule(operations: CompiledOperation[], typesModule: string): string {
  const lines = [
    `import type * as Types from ${JSON.stringify(typesModule)};`,
    `import type { DocumentTypeDecoration } from "../request.js";`,
    "",
    "// One constant per operation, so a bundler keeps only those an app imports (client.request(DepartmentsOperation)).",
  ];
  for (const op of operations) {
    const type = `${op.name}${suffix[op.kind]}`;
    const doc = [
      ...(op.description ? [op.description.replaceAll("*/", "*\\/"), ""] : []),
      `Operation \`${op.name}\` (src/operations), for \`client.request\`: text, hash and types.`,
    ];
    lines.push(
      `const ${op.method}Definition = {`,
      `  name: ${JSON.stringify(op.name)},`,
      `  kind: ${JSON.stringify(op.kind)},`,
      `  document: ${JSON.stringify(op.document)},`,
      `  sha256: ${JSON.stringify(op.sha256)},`,
      `  connection: ${op.connection === undefined ? "undefined" : JSON.stringify(op.connection)},`,
      "} as const;",
      "/**",
      ...doc.map((line) => (line ? ` * ${line}` : " *")),
      " */",
      `export const ${operationExportName(op)}: typeof ${op.method}Definition & DocumentTypeDecoration<Types.${type}, Types.${type}Variables> = ${op.method}Definition;`,
      "",
    );
  }
  lines.push("/** Every operation of src/operations, by client method name: document text, hash and paging. */", "export const operations = {");
  for (const op of operations) lines.push(`  ${op.method}: ${operationExportName(op)},`);
  lines.push("} as const;", "", "/** Result and variables types of every operation, by client method name. */", "export interface OperationTypes {");
  for (const op of operations) {
    const type = `${op.name}${suffix[op.kind]}`;
    const doc = [
      ...(op.description ? [op.description.replaceAll("*/", "*\\/"), ""] : []),
      `Operation \`${op.name}\` (src/operations); resolves to its \`data\`.`,
    ];
    lines.push("  /**", ...doc.map((line) => (line ? `   * ${line}` : "   *")), "   */");
    lines.push(`  ${op.method}: { result: Types.${type}; variables: Types.${type}Variables };`);
  }
  lines.push("}", "");
  return lines.join("\n");
}

export const plugin: CodegenPlugin<OperationsPluginConfig>["plugin"] = (schema, documentFiles, config) => {
  const operations = compileOperations(
    schema,
    documentFiles.map((file) => file.document),
  );
  if (config.output === "manifest") {
    const manifest = Object.fromEntries(operations.map((op) => [op.sha256, op.document]).sort(([a], [b]) => a!.localeCompare(b!)));
    return `${JSON.stringify(manifest, null, 2)}\n`;
  }
  return renderModule(operations, config.typesModule ?? "./types.js");
};

export default { plugin } satisfies CodegenPlugin<OperationsPluginConfig>;
