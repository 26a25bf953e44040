// Query.search: Japanese full-text search over projects, departments and beneficiary groups.
import { brandWithType } from "@pothos/core";
import { type SearchableType, type SearchHit, searchPage } from "../../data/search.ts";
import { builder } from "../builder.ts";
import { pageArgs } from "./connections.ts";

export const SearchableTypeEnum = builder.enumType("SearchableType", {
  description: "Kinds of objects search covers (検索対象).",
  values: {
    PROJECT: { value: "Project", description: "Projects (事業): name and description, Japanese and English." },
    DEPARTMENT: { value: "Department", description: "Departments (所属): name." },
    BENEFICIARY_GROUP: { value: "BeneficiaryGroup", description: "Beneficiary groups (受益者): name." },
  } as const,
});

const SearchHitRef = builder.objectRef<SearchHit>("SearchHit");
builder.objectType(SearchHitRef, {
  description: "One search result (検索結果): the object found, how well it matches and the passage that matched.",
  fields: (t) => ({
    score: t.field({
      type: "Decimal",
      description:
        "Relevance (適合度), higher first: 3 per word found in the name, 0.5 per occurrence in the description (up to 5), 1 more when the name starts with the first word. Comparable within one query.",
      resolve: (h) => h.score,
    }),
    snippet: t.exposeString("snippet", { description: "The passage around the first word found (抜粋), as printed; the name when the words are only there." }),
    node: t.field({
      type: builder.nodeInterfaceRef(),
      description: "The object found: a Project, Department or BeneficiaryGroup.",
      resolve: async (h, _args, context) => {
        const loader: { load(key: string): Promise<unknown> } =
          h.type === "Project" ? context.loaders.project : h.type === "Department" ? context.loaders.department : context.loaders.beneficiaryGroup;
        const node = await loader.load(h.key);
        brandWithType(node, h.type as never);
        return node as never;
      },
    }),
  }),
});

builder.queryField("search", (t) =>
  t.connection({
    type: SearchHitRef,
    description:
      "Full-text search (全文検索) as people type Japanese: words separated by spaces must all occur (AND); two-character words (保育, 虐待, 里親) match; hiragana and katakana, full- and half-width forms match alike (NFKC). Most relevant first. Uses the bigram GIN indexes.",
    args: {
      query: t.arg.string({
        required: true,
        description: "The words to find (検索語), e.g. 生活保護 就労. At least one word needs 2 or more characters; at most 10 words, 200 characters.",
      }),
      types: t.arg({ type: [SearchableTypeEnum], description: "Only these kinds of objects (検索対象); all when left out, none when empty." }),
    },
    resolve: (_root, args, context) => searchPage(context.db, args.query, args.types as SearchableType[] | null | undefined, pageArgs(args)),
  }),
);
