// node run-own.mjs <graphql url>: prints what src/own-operations.ts read, as JSON.
import { readOwn } from "./dist/own-operations.js";

console.log(JSON.stringify(await readOwn(process.argv[2])));
