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
  /** What fields that make the database work cost on top of their objects (query-limits.ts). */
  databaseWork?: DatabaseWorkWeights;
}

/**
 * Extra cost of the fields whose database work is not proportional to the objects they return
 * (a search or a sum reads every matching row, whatever the page size). One unit stands for
 * about 0.02 ms of database time at the benchmark's scale, so that the cost limit also bounds
 * a request's database time; each weight is added once per place the field can appear, i.e.
 * multiplied by the page sizes around it, and counted again for every alias. Measured in
 * docs/limits.md.
 */
export interface DatabaseWorkWeights {
  /** "Type.field" → weight, e.g. "Query.search", "Project.series". */
  fields: Record<string, number>;
  /** Fields named so on any type (aggregate of every projects connection). */
  fieldNames: Record<string, number>;
  /** totalCount of these root connections, by type (counts the whole filtered list of a big table). */
  rootTotalCount: Record<string, number>;
  /** totalCount of a nested connection (per parent, by index). */
  nestedTotalCount: number;
  /** A `text` filter anywhere in a connection's arguments (where.text, where.projects.text). */
  textFilter: number;
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
    const fragmentWork = new Map<string, number>();
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
      if (!field) return 0;
      // A connection's own fields (totalCount, aggregate) work once per connection: connectionWork.
      const once = structural && isConnectionType(parentType) && field.name !== "edges" && field.name !== "nodes";
      return (once ? 0 : this.databaseWork(parentType, field, node, variables)) + objectCost(node, field, parentType, structural);
    };

    /** The work of a connection's own fields (not its items), through fragments. */
    const connectionWork = (selectionSet: SelectionSetNode, type: GraphQLNamedType): number => {
      let total = 0;
      for (const selection of selectionSet.selections) {
        if (selection.kind === Kind.FIELD) {
          const field = this.fieldDefinition(type, selection.name.value);
          if (field && field.name !== "edges" && field.name !== "nodes") total += this.databaseWork(type, field, selection, variables);
        } else if (selection.kind === Kind.INLINE_FRAGMENT) {
          total += connectionWork(selection.selectionSet, type);
        } else {
          // Priced once per fragment, as in selectionCost: fragment bombs stay linear.
          const name = selection.name.value;
          const fragment = fragments.get(name);
          if (!fragment || walking.has(name)) continue;
          let work = fragmentWork.get(name);
          if (work === undefined) {
            walking.add(name);
            work = connectionWork(fragment.selectionSet, type);
            walking.delete(name);
            fragmentWork.set(name, work);
          }
          total += work;
        }
      }
      return total;
    };

    const objectCost = (node: FieldNode, field: GraphQLField<unknown, unknown>, parentType: GraphQLNamedType, structural: boolean): number => {
      if (!node.selectionSet) return 0;
      const type = getNamedType(field.type);
      if (!isCompositeType(type)) return 0;
      const args = this.argumentValues(field, node, variables);

      if (isConnectionType(type)) {
        const size = this.pageSize(args);
        // Inside the connection, edges/nodes repeat `size` times; pageInfo and totals once.
        return size + size * selectionCost(node.selectionSet, type, true) + connectionWork(node.selectionSet, type);
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

  /** The database work of one field, beyond the objects it returns (0 without a weight). */
  private databaseWork(parentType: GraphQLNamedType, field: GraphQLField<unknown, unknown>, node: FieldNode, variables: Record<string, unknown>): number {
    const weights = this.model.databaseWork;
    if (!weights) return 0;
    let work = weights.fields[`${parentType.name}.${field.name}`] ?? weights.fieldNames[field.name] ?? 0;
    if (field.name === "totalCount" && isConnectionType(parentType)) {
      // Root lists of small reference tables (departments, documents …) count for nothing.
      const root = parentType.name.startsWith(this.schema.getQueryType()?.name ?? "Query");
      work += root ? (weights.rootTotalCount[parentType.name] ?? 0) : weights.nestedTotalCount;
    }
    if (field.args.length && weights.textFilter) {
      const args = this.argumentValues(field, node, variables);
      if (hasTextFilter(args?.where)) work += weights.textFilter;
    }
    return work;
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

/** True when a filter holds a non-null `text` at any depth (where.text, where.projects.text). */
function hasTextFilter(filter: unknown): boolean {
  if (!filter || typeof filter !== "object" || Array.isArray(filter)) return false;
  return Object.entries(filter).some(([key, value]) => (key === "text" && value != null) || hasTextFilter(value));
}
