// The same kind of document generated with documentMode "string" (codegen.ts, src/gql-string/):
// a TypedDocumentString, which client.request sends as it is, with no GraphQL library at run time.
import { graphql } from "./gql-string/index.js";

export const DepartmentNames = graphql(`
  query DepartmentNames($first: Int) {
    departments(first: $first) {
      totalCount
      nodes {
        name
      }
    }
  }
`);
