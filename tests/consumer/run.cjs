// node run.cjs <graphql url>: the same SDK through require() (the package's CommonJS build).
const { readWithRequire } = require("./dist/commonjs.cjs");

readWithRequire(process.argv[2]).then((result) => console.log(JSON.stringify(result)));
