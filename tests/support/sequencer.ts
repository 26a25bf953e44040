// The order test files start in. Two workers take files from one queue, so a long file that
// starts late makes the run's tail: the files measured longest start first, in a fixed order
// that does not depend on vitest's cache of the last run (a fresh CI checkout has none). The
// rest follow in vitest's own order (its cached durations, else the larger file first).
import { BaseSequencer, type TestSpecification } from "vitest/node";

/** Longest first, as measured with `vitest run --reporter=json` (file durations); keep it roughly current. */
const longestFirst = [
  "tests/sdk-consumer.test.ts",
  "tests/import-idempotency.test.ts",
  "tests/browser.test.ts",
  "tests/query-search.test.ts",
  "tests/hostile-input.test.ts",
  "tests/startup.test.ts",
  "tests/clean-stop.test.ts",
  "tests/import-bad-input.test.ts",
  "tests/delivery.test.ts",
  "tests/query-aggregates.test.ts",
  "tests/string-arguments.test.ts",
  "tests/cancellation.test.ts",
  "tests/query-filters.test.ts",
  "tests/production.test.ts",
  "tests/shutdown.test.ts",
];

export class LongestFirstSequencer extends BaseSequencer {
  override async sort(files: TestSpecification[]): Promise<TestSpecification[]> {
    const sorted = await super.sort(files);
    const rank = (file: TestSpecification) => {
      const at = longestFirst.findIndex((name) => file.moduleId.endsWith(`/${name}`));
      return at < 0 ? longestFirst.length : at;
    };
    // Array.prototype.sort is stable: unlisted files keep vitest's order.
    return sorted.sort((a, b) => rank(a) - rank(b));
  }
}
