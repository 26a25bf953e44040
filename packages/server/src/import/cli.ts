import { formatIssues, loadDataset } from "./load.ts";

const args = process.argv.slice(2);
const dryRun = args.includes("--dry-run");
const paths = args.filter((a) => !a.startsWith("--"));
for (const path of paths) {
  const { dataset, issues } = loadDataset(path);
  if (issues.length) {
    console.error(formatIssues(issues));
    process.exit(1);
  }
  const projects = dataset.bundles.flatMap((b) => b.departments.flatMap((d) => d.data.projects));
  console.log(`${path}: valid (${dataset.bundles.length} document(s), ${projects.length} projects)${dryRun ? "" : ""}`);
}
