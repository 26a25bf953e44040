// node run.mjs <graphql url>: prints what src/queries.ts read, as JSON.
import { readAll } from "./dist/queries.js";

console.log(JSON.stringify(await readAll(process.argv[2])));
