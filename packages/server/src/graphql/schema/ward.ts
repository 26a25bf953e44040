import { beneficiaryPagesByWard, usagePagesByWard } from "../../data/figures.ts";
import { builder } from "../builder.ts";
import { loadAll } from "./connections.ts";
import { loadPage } from "./connections.ts";
import { beneficiaryListArgs, figurePageOptions, usageListArgs } from "./figure-query.ts";

export const WardRef = builder.node("Ward", {
  description: "A ward (区) of a designated city; figures may be broken down by ward.",
  id: { resolve: (w) => w.key },
  loadMany: (ids, context) => loadAll(context.loaders.ward, ids),
  fields: (t) => ({
    code: t.exposeString("code", { description: "Stable ward key within its municipality, e.g. CHUO." }),
    name: t.exposeString("nameJa", { description: "Name in Japanese (区名), e.g. 中央区." }),
    nameEn: t.exposeString("nameEn", { description: "Name in English, e.g. Chuo Ward." }),
    municipality: t.field({
      type: "Municipality",
      description: "The city the ward belongs to (市).",
      resolve: async (w, _args, context) => (await context.loaders.municipality.load(w.municipalityCode))!,
    }),
    usage: t.connection({
      type: "UsageFigure",
      description: "Service-usage figures (利用実績) reported for this ward.",
      args: usageListArgs,
      resolve: (w, args, context) => {
        const options = figurePageOptions(args);
        return loadPage(context, `ward.usage:${JSON.stringify(options)}`, w.key, args, (keys, a) => usagePagesByWard(context.db, keys, a, options));
      },
    }),
    beneficiaries: t.connection({
      type: "BeneficiaryCount",
      description: "Beneficiary counts (受益者数) reported for this ward.",
      args: beneficiaryListArgs,
      resolve: (w, args, context) => {
        const options = figurePageOptions(args);
        return loadPage(context, `ward.beneficiaries:${JSON.stringify(options)}`, w.key, args, (keys, a) => beneficiaryPagesByWard(context.db, keys, a, options));
      },
    }),
  }),
});
