// Every string that reaches an argument — a literal in the document, a variable's value, a
// string deep inside an input object or list — is checked before execution: PostgreSQL cannot
// store NUL in text, a lone surrogate is not Unicode (it would reach the database silently
// replaced by U+FFFD), and a string longer than any honest one only makes the database compare
// it. Each is refused with BAD_USER_INPUT naming the argument, before any resolver runs.
import {
  type ArgumentNode,
  type DocumentNode,
  type GraphQLError,
  type GraphQLSchema,
  getOperationAST,
  Kind,
  TypeInfo,
  type ValueNode,
  visit,
  visitWithTypeInfo,
} from "graphql";
import type { Plugin } from "graphql-yoga";
import { userInputError } from "../graphql/errors.ts";

/** Longest string an argument accepts; cursors of the longest names stay far below it. */
export const MAX_STRING_ARGUMENT_LENGTH = 2_000;

const loneSurrogate = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

const hex = (code: number) => `U+${code.toString(16).toUpperCase().padStart(4, "0")}`;

/** Why a string cannot be an argument value, or undefined when it can. */
export function unsafeStringReason(value: string): string | undefined {
  const nul = value.indexOf("\u0000");
  if (nul >= 0) return `contains a NUL character (U+0000) at position ${nul}; remove it`;
  const lone = loneSurrogate.exec(value);
  if (lone) {
    const at = lone.index;
    return `contains a lone surrogate (${hex(value.charCodeAt(at))}) at position ${at}, which is not Unicode text; send well-formed UTF-8`;
  }
  if (value.length > MAX_STRING_ARGUMENT_LENGTH) return `is ${value.length} characters long; at most ${MAX_STRING_ARGUMENT_LENGTH} are accepted`;
  return undefined;
}

interface Problem {
  argumentName: string;
  field: string;
  reason: string;
}

/** The first unsafe string of a JavaScript value (a variable's value), with its path inside. */
function inValue(value: unknown, path: string): { path: string; reason: string } | undefined {
  if (typeof value === "string") {
    const reason = unsafeStringReason(value);
    return reason ? { path, reason } : undefined;
  }
  if (Array.isArray(value)) {
    for (const item of value) {
      const found = inValue(item, path);
      if (found) return found;
    }
    return undefined;
  }
  if (value && typeof value === "object") {
    for (const [key, item] of Object.entries(value)) {
      const found = inValue(item, `${path}.${key}`);
      if (found) return found;
    }
  }
  return undefined;
}

/** The first unsafe string of an argument's AST value, following variables to their values (or defaults). */
function inNode(
  node: ValueNode,
  path: string,
  variables: Record<string, unknown>,
  defaults: Map<string, ValueNode>,
): { path: string; reason: string } | undefined {
  switch (node.kind) {
    case Kind.STRING: {
      const reason = unsafeStringReason(node.value);
      return reason ? { path, reason } : undefined;
    }
    case Kind.LIST:
      for (const item of node.values) {
        const found = inNode(item, path, variables, defaults);
        if (found) return found;
      }
      return undefined;
    case Kind.OBJECT:
      for (const field of node.fields) {
        const found = inNode(field.value, `${path}.${field.name.value}`, variables, defaults);
        if (found) return found;
      }
      return undefined;
    case Kind.VARIABLE: {
      const name = node.name.value;
      if (Object.hasOwn(variables, name)) return inValue(variables[name], path);
      const fallback = defaults.get(name);
      return fallback ? inNode(fallback, path, variables, defaults) : undefined;
    }
    default:
      return undefined;
  }
}

/** The first argument of the operation (fragments included) holding an unsafe string. */
export function findUnsafeArgument(
  schema: GraphQLSchema,
  document: DocumentNode,
  operationName: string | null | undefined,
  variables: Record<string, unknown>,
): Problem | undefined {
  const operation = getOperationAST(document, operationName);
  if (!operation) return undefined;
  const defaults = new Map<string, ValueNode>();
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const typeInfo = new TypeInfo(schema);
  let problem: Problem | undefined;
  const check = (node: ArgumentNode) => {
    if (problem) return;
    const found = inNode(node.value, node.name.value, variables, defaults);
    if (!found) return;
    const field = typeInfo.getFieldDef();
    const directive = typeInfo.getDirective();
    problem = { argumentName: found.path, field: directive ? `@${directive.name}` : (field?.name ?? "?"), reason: found.reason };
  };
  // Operations other than the one executed are left alone: their variables are not these.
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION && definition !== operation) continue;
    visit(definition, visitWithTypeInfo(typeInfo, { Argument: check }));
    if (problem) break;
  }
  return problem;
}

export function unsafeArgumentError(problem: Problem): GraphQLError {
  return userInputError(`"${problem.argumentName}" (argument of ${problem.field}) ${problem.reason}`, { argumentName: problem.argumentName });
}

export function stringArgumentsPlugin(): Plugin {
  // The document's own strings (literals, variable defaults) are the same on every request:
  // checked once per parsed document and operation. Only when they or the variables hold an
  // unsafe string is the document walked again, to name the argument.
  const safeDocuments = new WeakMap<DocumentNode, Map<string, boolean>>();
  const documentIsSafe = (schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined) => {
    let byOperation = safeDocuments.get(document);
    if (!byOperation) {
      byOperation = new Map();
      safeDocuments.set(document, byOperation);
    }
    const key = operationName ?? "";
    let safe = byOperation.get(key);
    if (safe === undefined) {
      safe = findUnsafeArgument(schema, document, operationName, {}) === undefined;
      byOperation.set(key, safe);
    }
    return safe;
  };
  return {
    onExecute({ args, setResultAndStopExecution }) {
      const variables = (args.variableValues ?? {}) as Record<string, unknown>;
      if (documentIsSafe(args.schema, args.document, args.operationName) && !inValue(variables, "")) return;
      const problem = findUnsafeArgument(args.schema, args.document, args.operationName, variables);
      if (problem) setResultAndStopExecution({ errors: [unsafeArgumentError(problem)] });
    },
  };
}
