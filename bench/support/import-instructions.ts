import { spawnSync } from "node:child_process";
import { pathToFileURL } from "node:url";
import { lambdaEnvironment } from "./lambda-env.ts";

/*
 * Wall time of an import on this shared machine moves with whatever else runs (the cold-start
 * baseline took 28 ms quiet and 35 to 125 ms loaded); the instructions it executes hardly do: under
 * valgrind, single-threaded, a ratio of two counts repeats within about 3 %. They understate time's
 * ratio (docs/performance.md), so they show progress, not the target. Counted where valgrind is installed.
 */

/** Whether valgrind is on the PATH. */
export function canCountInstructions(): boolean {
  return spawnSync("valgrind", ["--version"], { encoding: "utf8" }).status === 0;
}

/**
 * Instructions (valgrind's I refs) a fresh single-threaded process executes to import `file`, or to
 * start and import an empty module when `file` is undefined.
 */
export function importInstructions(file?: string): number {
  const script = file === undefined ? "" : `await import(${JSON.stringify(pathToFileURL(file).href)});`;
  const run = spawnSync(
    "valgrind",
    [
      "--tool=cachegrind",
      "--cache-sim=no",
      "--cachegrind-out-file=/dev/null",
      process.execPath,
      "--single-threaded",
      "--input-type=module",
      "-e",
      script,
    ],
    { env: lambdaEnvironment(), encoding: "utf8" },
  );
  const refs = /I\s+refs:\s+([\d,]+)/.exec(run.stderr)?.[1];
  if (run.status !== 0 || refs === undefined) throw new Error(`valgrind on ${file ?? "an empty module"} failed: ${run.stderr.slice(-500)}`);
  return Number(refs.replaceAll(",", ""));
}
