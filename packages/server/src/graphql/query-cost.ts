// The cost model: how many objects a response can hold at most, like GitHub's node limit.
// A connection costs its page size (first/last, 20 when absent) times the sizes of every
// connection around it, so 100 projects inside 100 departments cost 10,000. Single objects
// cost 1 each; scalars, and a connection's own structure (edges, node, pageInfo), are free.
// Fragments, inline fragments and aliases are walked like any other selection, and
// introspection fields are priced with the real sizes of this schema's type system.
import {
  type DocumentNode,
  type FieldNode,
  type FragmentDefinitionNode,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLSchema,
  getArgumentValues,
  getNamedType,
  getNullableType,
  isAbstractType,
  isCompositeType,
  isListType,
  isObjectType,
  Kind,
  type OperationDefinitionNode,
  SchemaMetaFieldDef,
  type SelectionSetNode,
  TypeMetaFieldDef,
  TypeNameMetaFieldDef,
  typeFromAST,
} from "graphql";

export interface CostModel {
  /** Page size assumed when a connection has neither first nor last. */
  defaultPageSize: number;
  /** Largest page a connection serves; larger requests are refused by the resolver anyway. */
  maxPageSize: number;
}

function isConnectionType(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith("Connection") && "edges" in type.getFields() && "pageInfo" in type.getFields();
}

function isEdgeType(type: GraphQLNamedType): boolean {
  return isObjectType(type) && type.name.endsWith("Edge") && "node" in type.getFields() && "cursor" in type.getFields();
}

/** The longest list each introspection field can return in this schema. */
function introspectionListSizes(schema: GraphQLSchema): Map<string, number> {
  const types = Object.values(schema.getTypeMap());
  let fields = 0;
  let args = 0;
  let enumValues = 0;
  let interfaces = 0;
  let possibleTypes = 0;
  for (const type of types) {
    if ("getFields" in type) {
      const typeFields = Object.values(type.getFields());
      fields = Math.max(fields, typeFields.length);
      for (const field of typeFields) if ("args" in field) args = Math.max(args, field.args.length);
    }
    if ("getValues" in type) enumValues = Math.max(enumValues, type.getValues().length);
    if ("getInterfaces" in type) interfaces = Math.max(interfaces, type.getInterfaces().length);
    if (isAbstractType(type)) possibleTypes = Math.max(possibleTypes, schema.getPossibleTypes(type).length);
  }
  for (const directive of schema.getDirectives()) args = Math.max(args, directive.args.length);
  return new Map([
    ["__Schema.types", types.length],
    ["__Schema.directives", schema.getDirectives().length],
    ["__Type.fields", fields],
    ["__Type.inputFields", fields],
    ["__Type.enumValues", enumValues],
    ["__Type.interfaces", interfaces],
    ["__Type.possibleTypes", possibleTypes],
    ["__Field.args", args],
    ["__Directive.args", args],
  ]);
}

export class QueryCostCalculator {
  private readonly listSizes: Map<string, number>;

  constructor(
    private readonly schema: GraphQLSchema,
    private readonly model: CostModel,
  ) {
    this.listSizes = introspectionListSizes(schema);
  }

  /**
   * The requested cost of one operation. Variables are the coerced values; arguments that
   * cannot be read (invalid variables) are priced at the maximum page size.
   */
  operationCost(document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown>): number {
    const fragments = new Map<string, FragmentDefinitionNode>();
    for (const definition of document.definitions) {
      if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
    }
    const root = this.schema.getRootType(operation.operation);
    if (!root) return 0;
    // A fragment's cost is linear in the multiplier around it, so each is priced once (at 1)
    // and reused: fragments spreading each other many times cannot make this walk explode.
    const fragmentCosts = new Map<string, number>();
    const walking = new Set<string>();

    const selectionCost = (selectionSet: SelectionSetNode, parentType: GraphQLNamedType, structural: boolean): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          total += fieldCost(selection, parentType, structural);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          const type = selection.typeCondition ? typeFromAST(this.schema, selection.typeCondition) : parentType;
          if (type) total += selectionCost(selection.selectionSet, getNamedType(type), structural);
        } else {
          const name = selection.name.value;
          const fragment = fragments.get(name);
          // A cycle is refused by validation (NoFragmentCyclesRule); here it must only not loop.
          if (!fragment || walking.has(name)) continue;
          const key = `${name}:${structural}`;
          let cost = fragmentCosts.get(key);
          if (cost === undefined) {
            const type = typeFromAST(this.schema, fragment.typeCondition);
            walking.add(name);
            cost = type ? selectionCost(fragment.selectionSet, getNamedType(type), structural) : 0;
            walking.delete(name);
            fragmentCosts.set(key, cost);
          }
          total += cost;
        }
      }
      return total;
    };

    const fieldCost = (node: FieldNode, parentType: GraphQLNamedType, structural: boolean): number => {
      const field = this.fieldDefinition(parentType, node.name.value);
      if (!field || !node.selectionSet) return 0;
      const type = getNamedType(field.type);
      if (!isCompositeType(type)) return 0;
      const args = this.argumentValues(field, node, variables);

      if (isConnectionType(type)) {
        const size = this.pageSize(args);
        // Inside the connection, edges/nodes repeat `size` times; pageInfo and totals once.
        return size + size * selectionCost(node.selectionSet, type, true);
      }
      if (structural && isConnectionType(parentType)) {
        // edges / nodes of the connection being priced: the items themselves were counted.
        return field.name === "edges" || field.name === "nodes" ? selectionCost(node.selectionSet, type, isEdgeType(type)) : 0;
      }
      if (structural && isEdgeType(parentType)) {
        return field.name === "node" ? selectionCost(node.selectionSet, type, false) : 0;
      }
      const nullable = getNullableType(field.type);
      if (isListType(nullable)) {
        const size = this.listSize(parentType, field, args);
        return size + size * selectionCost(node.selectionSet, type, false);
      }
      return 1 + selectionCost(node.selectionSet, type, false);
    };

    return selectionCost(operation.selectionSet, root, false);
  }

  private fieldDefinition(parentType: GraphQLNamedType, name: string): GraphQLField<unknown, unknown> | undefined {
    if (name === TypeNameMetaFieldDef.name) return undefined;
    if (parentType === this.schema.getQueryType()) {
      if (name === SchemaMetaFieldDef.name) return SchemaMetaFieldDef;
      if (name === TypeMetaFieldDef.name) return TypeMetaFieldDef;
    }
    return "getFields" in parentType ? (parentType.getFields() as Record<string, GraphQLField<unknown, unknown>>)[name] : undefined;
  }

  private argumentValues(field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): Record<string, unknown> | undefined {
    try {
      return getArgumentValues(field, node, variables);
    } catch {
      return undefined;
    }
  }

  private pageSize(args: Record<string, unknown> | undefined): number {
    if (!args) return this.model.maxPageSize;
    const requested = args.last ?? args.first;
    if (requested === undefined || requested === null) return this.model.defaultPageSize;
    if (typeof requested !== "number" || !Number.isFinite(requested)) return this.model.maxPageSize;
    // Above the maximum the resolver refuses the page with a precise message of its own.
    return Math.max(0, Math.min(Math.floor(requested), this.model.maxPageSize));
  }

  private listSize(parentType: GraphQLNamedType, field: GraphQLField<unknown, unknown>, args: Record<string, unknown> | undefined): number {
    const known = this.listSizes.get(`${parentType.name}.${field.name}`);
    if (known !== undefined) return known;
    // A list chosen by the client (nodes(ids: …)) costs what it asks for.
    const ids = args?.ids;
    if (Array.isArray(ids)) return ids.length;
    return this.model.maxPageSize;
  }
}
