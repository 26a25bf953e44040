import { fiscalYearPage } from "../../data/catalog.ts";
import { builder } from "../builder.ts";
import { loadAll } from "./connections.ts";

export const FiscalYearRef = builder.node("FiscalYear", {
  description: "A Japanese fiscal year (年度), April 1 to March 31, named by the Gregorian year it starts in.",
  id: { resolve: (fy) => String(fy.year) },
  loadMany: (ids, context) => loadAll(context.loaders.fiscalYear, ids.map(Number)),
  fields: (t) => ({
    year: t.exposeInt("year", { description: "Gregorian year the fiscal year starts in (2023 for 令和5年度)." }),
    eraLabel: t.exposeString("eraLabel", { description: "Japanese era label for display (年度表記), e.g. 令和5年度." }),
    startsOn: t.field({ type: "Date", description: "First day (April 1).", resolve: (fy) => fy.startsOn }),
    endsOn: t.field({ type: "Date", description: "Last day (March 31 of the next year).", resolve: (fy) => fy.endsOn }),
  }),
});

builder.queryField("fiscalYears", (t) =>
  t.connection({
    type: "FiscalYear",
    description: "Fiscal years (年度) that have data, newest first.",
    resolve: (_root, args, context) => fiscalYearPage(context.db, args),
  }),
);
