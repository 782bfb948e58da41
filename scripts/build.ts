/**
 * `npm run build`: the package that apps install, in dist/ (gitignored). tsc compiles the construct
 * (lib/index.ts) and the CLI (cli/hookrelay.ts) with what they import to JavaScript and type
 * declarations, since Node refuses to strip types under node_modules; esbuild bundles each
 * function, with and without source maps, with the arguments NodejsFunction uses at synthesis in
 * this repository, into dist/lambda/, which the compiled construct deploys as it is; then, as at
 * synthesis, merge-static-chunks.mjs folds the chunks index.mjs imports statically into index.mjs.
 */
import { execFile } from "node:child_process";
import { rmSync } from "node:fs";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  destinationsBundleArgs,
  FUNCTION_ENTRIES,
  MERGE_STATIC_CHUNKS_SCRIPT,
  PREBUNDLED_ROOT,
  prebundledFolder,
  splitBundleArgs,
  splitMetafile,
} from "../lib/dispatcher-function.ts";

const ROOT = join(import.meta.dirname, "..");
const run = promisify(execFile);

rmSync(join(ROOT, "dist"), { recursive: true, force: true });
const bundles = [...new Set(Object.values(FUNCTION_ENTRIES))].flatMap((entry) =>
  [false, true].map((sourceMaps) => {
    const outputDir = join(PREBUNDLED_ROOT, prebundledFolder(entry, sourceMaps));
    const esbuild = join(ROOT, "node_modules/.bin/esbuild");
    const merge = [MERGE_STATIC_CHUNKS_SCRIPT, outputDir, splitMetafile(outputDir), ...(sourceMaps ? ["--sourcemap"] : [])];
    // The merge last, as at synthesis: its link check reads every file in the folder.
    return Promise.all([
      run(esbuild, splitBundleArgs(entry, outputDir, sourceMaps), { cwd: ROOT }),
      run(esbuild, destinationsBundleArgs(outputDir, sourceMaps), { cwd: ROOT }),
    ]).then(() => run(process.execPath, merge, { cwd: ROOT }));
  }),
);
await Promise.all([
  run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], { cwd: ROOT }),
  ...bundles,
]);
