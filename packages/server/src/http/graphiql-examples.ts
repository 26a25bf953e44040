// GraphiQL's example tabs besides the showcase, each a named operation (the tab's title). Comment
// lines stay within 48 columns so that they fit the editor beside the result pane at 1280 px.
// tests/graphiql.test.ts runs every tab.

const spendingByDepartment = `# Spending (実績額) by department (所属),
# largest first, summed by the database.
# Re-listed projects (再掲) are left out:
# nothing is counted twice.
query SpendingByDepartment {
  spending(groupBy: [DEPARTMENT], first: 20) {
    totalCount
    nodes {
      department { name nameEn }
      count
      sum { amountThousandYen amountYen }
    }
  }
}
`;

const nestedPage = `# A nested page: departments, each with its
# first projects and their usage figures
# (利用実績) by ward. Next page: add
# after: "<endCursor>" to departments.
query NestedPage {
  departments(first: 3) {
    totalCount
    pageInfo { hasNextPage endCursor }
    nodes {
      name
      projects(first: 3) {
        totalCount
        nodes {
          name
          amountThousandYen
          flags
          source { page }
          usage(first: 5) {
            nodes { label value unitName ward { name } }
          }
        }
      }
    }
  }
}
`;

const search = `# Japanese search: kana and half-width forms
# match alike (ﾍﾟｱﾚﾝﾄ finds ペアレント);
# space-separated words must all match.
# Edit $q in Variables below.
query Search($q: String!) {
  search(query: $q, first: 5) {
    totalCount
    nodes {
      score
      snippet
      node {
        __typename
        ... on Project { name amountThousandYen }
        ... on Department { name }
        ... on BeneficiaryGroup { name }
      }
    }
  }
}
`;

const projectSeries = `# A project across fiscal years (年度別):
# spending, with the change from the year
# before (前年度比), and each usage metric's
# values over the years.
query ProjectSeries {
  projects(
    first: 1
    orderBy: [{ field: AMOUNT, direction: DESC }]
  ) {
    nodes {
      name
      seriesKey
      series {
        fiscalYear { year eraLabel }
        amountThousandYen
        changeThousandYen
        changeRatio
      }
      usageSeries {
        label
        unit
        ward { name }
        points { fiscalYear { year } value change }
      }
    }
  }
}
`;

export interface ExampleTab {
  query: string;
  variables?: string;
}

/** The tabs GraphiQL opens with (when the browser has none saved): the showcase first. */
export function graphiqlExampleTabs(showcase: string): ExampleTab[] {
  return [
    { query: showcase },
    { query: spendingByDepartment },
    { query: nestedPage },
    { query: search, variables: JSON.stringify({ q: "ﾍﾟｱﾚﾝﾄ" }, null, 2) },
    { query: projectSeries },
  ];
}
