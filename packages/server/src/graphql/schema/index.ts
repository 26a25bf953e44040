// Imports every type module (each registers itself on the builder), then builds the schema.
import { lexicographicSortSchema } from "graphql";
import { builder } from "../builder.ts";
import "./fiscal-year.ts";
import "./municipality.ts";
import "./ward.ts";
import "./document.ts";
import "./department.ts";
import "./figure.ts";
import "./beneficiary.ts";
import "./usage.ts";
import "./project.ts";
import "./project-query.ts";
import "./figure-query.ts";
import "./spending.ts";
import "./usage-totals.ts";
import "./series.ts";
import "./search.ts";

export const schema = lexicographicSortSchema(builder.toSchema());
