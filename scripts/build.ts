/**
 * `npm run build`: the package that apps install, in dist/ (gitignored). tsc compiles the construct
 * (lib/index.ts) and the CLI (cli/hookrelay.ts) with what they import to JavaScript and type
 * declarations, since Node refuses to strip types under node_modules; esbuild bundles each
 * function, with and without source maps, with the arguments NodejsFunction uses at synthesis in
 * this repository, into dist/lambda/, which the compiled construct deploys as it is.
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  destinationsBundleArgs,
  FUNCTION_ENTRIES,
  PREBUNDLED_ROOT,
  prebundledFolder,
  splitBundleArgs,
} from "../lib/dispatcher-function.ts";

const ROOT = join(import.meta.dirname, "..");
const run = promisify(execFile);

rmSync(join(ROOT, "dist"), { recursive: true, force: true });
const bundles = [...new Set(Object.values(FUNCTION_ENTRIES))].flatMap((entry) =>
  [false, true].map((sourceMaps) => {
    const outputDir = join(PREBUNDLED_ROOT, prebundledFolder(entry, sourceMaps));
    const esbuild = join(ROOT, "node_modules/.bin/esbuild");
    return Promise.all([
      run(esbuild, splitBundleArgs(entry, outputDir, sourceMaps), { cwd: ROOT }),
      run(esbuild, destinationsBundleArgs(outputDir, sourceMaps), { cwd: ROOT }),
    ]);
  }),
);
await Promise.all([
  run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT }),
  ...bundles,
]);
