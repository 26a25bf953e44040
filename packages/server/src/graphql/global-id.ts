// Global IDs (Relay) are base64 of "<Type>:<row key>", e.g. "Project:431001:42". They are read
// here only: by the node/nodes fields and typed ID arguments (builder.ts), by filters that take
// lists of IDs (keysFromGlobalIds) and by the message for an ID of the wrong type (errors.ts).

export interface GlobalId {
  typename: string;
  /** The row key: "431001:42", or a fiscal year, or a municipality code. */
  id: string;
}

/** The type and key an ID names; undefined when it is not an ID this API could have made. */
export function parseGlobalId(globalID: string): GlobalId | undefined {
  const decoded = /^[A-Za-z0-9+/=_-]{1,200}$/.test(globalID) ? Buffer.from(globalID, "base64").toString("utf8") : "";
  const match = /^([A-Za-z]+):([0-9:]{1,40})$/.exec(decoded);
  return match ? { typename: match[1] as string, id: match[2] as string } : undefined;
}
