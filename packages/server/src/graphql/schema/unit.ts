// Units are data, not schema: each dataset brings its closed list (units.yaml), imported into the
// `unit` table. A figure's unit travels as its key (a String such as PEOPLE), not as an enum
// fixed when the schema is built, so another city's dataset with a unit of its own imports and
// serializes without a new server; the unit's names come from the `unit` table.
import type { Unit } from "../../data/model.ts";
import type { Context } from "../context.ts";

export function unitDescription(what: string): string {
  return `${what} (単位): the key of one of the dataset's units (units.yaml), e.g. PEOPLE, HOUSEHOLDS, PERCENT.`;
}

/** The unit's names; the key itself for a unit the database does not list (never expected). */
export async function unitNames(context: Context, key: string): Promise<Pick<Unit, "nameJa" | "nameEn">> {
  return (await context.loaders.unit.load(key)) ?? { nameJa: key, nameEn: key };
}
