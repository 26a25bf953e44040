import { readFileSync } from "node:fs";
import path from "node:path";
import { parse } from "yaml";
import { bundledDataFolder } from "../../config.ts";
import { unitsFile } from "../../import/format.ts";
import { builder } from "../builder.ts";

// The closed list of units is data (data/units.yaml); the enum mirrors it.
const units = unitsFile.parse(parse(readFileSync(path.join(bundledDataFolder, "units.yaml"), "utf8")));

export const UnitEnum = builder.enumType("Unit", {
  description: "Unit of a figure (単位), from a closed list.",
  values: Object.fromEntries(units.map((u) => [u.key, { value: u.key, description: `${u.nameEn} (${u.nameJa})` }])),
});

export const unitNames = new Map(units.map((u) => [u.key, u]));
