import { builder } from "../builder.ts";
import { loadAll } from "./connections.ts";
import { FigureRef } from "./figure.ts";

export const UsageFigureRef = builder.node("UsageFigure", {
  description: "A count of how much a project was used (利用実績): 延べ利用者数, 相談件数, 訪問件数, rates such as 訪問率 …",
  interfaces: [FigureRef],
  id: { resolve: (u) => u.key },
  loadMany: (ids, context) => loadAll(context.loaders.usageFigure, ids),
  fields: (t) => ({
    metric: t.exposeString("metric", { description: "Stable key of what is counted (e.g. consultations), to follow it across years and cities." }),
    label: t.exposeString("labelJa", { description: "Label as printed, in Japanese (項目), e.g. 延べ相談件数." }),
    labelEn: t.exposeString("labelEn", { description: "Label in English." }),
    category: t.exposeString("categoryJa", { nullable: true, description: "Sub-table or heading the figure sits under (区分), e.g. 相談種別." }),
    categoryEn: t.exposeString("categoryEn", { nullable: true, description: "Sub-table or heading in English." }),
  }),
});
