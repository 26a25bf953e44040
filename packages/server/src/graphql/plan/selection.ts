// What a client selected below a field, as graphql-js would execute it: fields merged by
// response key across fragments and inline fragments, @skip/@include applied, arguments read
// with the request's variables.
import {
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  GraphQLIncludeDirective,
  type GraphQLObjectType,
  type GraphQLSchema,
  GraphQLSkipDirective,
  getArgumentValues,
  getDirectiveValues,
  getNamedType,
  isAbstractType,
  isObjectType,
  Kind,
  type SelectionSetNode,
} from "graphql";

export interface SelectionContext {
  schema: GraphQLSchema;
  fragments: Record<string, FragmentDefinitionNode>;
  variableValues: Record<string, unknown>;
}

/** One response key of a selection set: the field, every node asking for it, its arguments. */
export interface SelectedField {
  responseKey: string;
  name: string;
  nodes: FieldNode[];
  definition: GraphQLField<unknown, unknown> | undefined;
  /** False when two nodes of this key ask with different arguments (possible across `nodes` and `edges.node`). */
  consistent: boolean;
}

function included(context: SelectionContext, node: { directives?: readonly unknown[] | undefined } & Parameters<typeof getDirectiveValues>[1]): boolean {
  if (!node.directives?.length) return true;
  if (getDirectiveValues(GraphQLSkipDirective, node, context.variableValues)?.if === true) return false;
  return getDirectiveValues(GraphQLIncludeDirective, node, context.variableValues)?.if !== false;
}

function applies(context: SelectionContext, typeCondition: string | undefined, type: GraphQLObjectType): boolean {
  if (!typeCondition || typeCondition === type.name) return true;
  const condition = context.schema.getType(typeCondition);
  return condition !== undefined && isAbstractType(condition) && context.schema.isSubType(condition, type);
}

/** The fields selected on an object of `type` by these selection sets. */
export function collectFields(context: SelectionContext, type: GraphQLObjectType, selectionSets: readonly SelectionSetNode[]): Map<string, SelectedField> {
  const fields = new Map<string, SelectedField>();
  const definitions = type.getFields();
  const visit = (selectionSet: SelectionSetNode, seen: Set<string>) => {
    for (const selection of selectionSet.selections) {
      if (!included(context, selection)) continue;
      if (selection.kind === Kind.FIELD) {
        const responseKey = selection.alias?.value ?? selection.name.value;
        const entry = fields.get(responseKey);
        if (entry) {
          if (entry.name !== selection.name.value) entry.consistent = false;
          entry.nodes.push(selection);
        } else {
          const name = selection.name.value;
          fields.set(responseKey, { responseKey, name, nodes: [selection], definition: definitions[name], consistent: true });
        }
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        if (applies(context, selection.typeCondition?.name.value, type)) visit(selection.selectionSet, seen);
      } else {
        const name = selection.name.value;
        const fragment = context.fragments[name];
        if (!fragment || seen.has(name) || !applies(context, fragment.typeCondition.name.value, type)) continue;
        visit(fragment.selectionSet, new Set([...seen, name]));
      }
    }
  };
  for (const selectionSet of selectionSets) visit(selectionSet, new Set());
  return fields;
}

/** The selection sets below a selected field (all of its nodes'). */
export function subSelections(field: SelectedField): SelectionSetNode[] {
  return field.nodes.flatMap((node) => (node.selectionSet ? [node.selectionSet] : []));
}

/** The object type a field returns (lists and non-null unwrapped), when it is an object type. */
export function objectTypeOf(field: SelectedField): GraphQLObjectType | undefined {
  const named = field.definition ? getNamedType(field.definition.type) : undefined;
  return isObjectType(named) ? named : undefined;
}

/**
 * The field's argument values (defaults applied, variables substituted); undefined when its
 * nodes disagree, so that the caller leaves the field to its own resolver.
 */
export function argumentsOf(context: SelectionContext, field: SelectedField): Record<string, unknown> | undefined {
  if (!field.definition || !field.consistent) return undefined;
  const [first, ...others] = field.nodes;
  if (!first) return undefined;
  const values = getArgumentValues(field.definition, first, context.variableValues);
  if (others.length > 0) {
    const text = JSON.stringify(values);
    if (others.some((node) => JSON.stringify(getArgumentValues(field.definition!, node, context.variableValues)) !== text)) return undefined;
  }
  return values;
}
