// What to change, appended to graphql-js's validation messages for the mistakes people make
// most in GraphiQL. Outside development the "Did you mean …?" suggestions are removed (they
// let anyone probe the schema), which left "Cannot query field "nam" on type "Department"."
// with no way forward; these hints name only the structure every Relay API shares, or point to
// the schema docs, and reveal nothing that introspection does not.

const connectionFields = new Set(["nodes", "edges", "pageInfo", "totalCount"]);

function isConnection(typeName: string): boolean {
  return /Connection!?$/.test(typeName);
}

/** A sentence to append to a validation message, or undefined when there is nothing to add. */
export function validationHint(message: string, options: { suggestionsShown: boolean }): string | undefined {
  const unknownField = /^Cannot query field "(\w+)" on type "(\w+)"\./.exec(message);
  if (unknownField) {
    const [, field, type] = unknownField as unknown as [string, string, string];
    if (isConnection(type)) {
      return `"${type}" is a page of a list: select the items' fields inside nodes, e.g. nodes { ${field} }, or edges { node { ${field} } }; totalCount and pageInfo describe the list.`;
    }
    if (connectionFields.has(field)) {
      return `"${type}" is a single object, not a list: select its fields directly, without ${field}.`;
    }
    if (!options.suggestionsShown) return `Check the spelling against the fields of ${type} in the schema (GraphiQL's Docs panel, or introspection).`;
    return undefined;
  }
  const noSelection = /^Field "(\w+)" of type "(\w+)!?" must have a selection of subfields\./.exec(message);
  if (noSelection) {
    const [, field, type] = noSelection as unknown as [string, string, string];
    return isConnection(type)
      ? `Select what you need from the list, e.g. ${field} { totalCount nodes { id } }.`
      : `Select the fields you need, e.g. ${field} { id }.`;
  }
  if (options.suggestionsShown) return undefined;
  const unknownArgument = /^Unknown argument "\w+" on field "([\w.]+)"\./.exec(message);
  if (unknownArgument) return `Check the arguments of ${unknownArgument[1]} in the schema (GraphiQL's Docs panel).`;
  const unknownInputField = /^Field "\w+" is not defined by type "(\w+)"\./.exec(message);
  if (unknownInputField) return `Check the fields of the input ${unknownInputField[1]} in the schema (GraphiQL's Docs panel).`;
  const unknownEnumValue = /^Value "[^"]*" does not exist in "(\w+)" enum\./.exec(message);
  if (unknownEnumValue) return `Use one of the values of ${unknownEnumValue[1]} listed in the schema (GraphiQL's Docs panel).`;
  return undefined;
}
