/**
 * `node bench/lane-cycling.ts [--quick]`: stage 11 of `npm run bench` alone (lane cycling), on fresh
 * stacks of its own; prints its progress and writes bench/results/lane-cycling.json and .md.
 * All traffic stays on 127.0.0.1.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { benchLaneCycling, laneCyclingOptions, laneCyclingReport } from "./stages/lane-cycling.ts";

const { values } = parseArgs({ options: { quick: { type: "boolean", default: false } } });
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
const started = performance.now();
const progress = (line: string) => process.stdout.write(`${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s ${line}\n`);

mkdirSync(RESULTS, { recursive: true });
progress("11. lane cycling: victims beside a receiver that answers 5 times fast and hangs once, over and over");
// Alone, the stage also runs with a way back that never grows, to show what it measures.
const result = await benchLaneCycling(laneCyclingOptions(values.quick), !values.quick, [], progress);
const report = laneCyclingReport(result);
writeFileSync(`${RESULTS}lane-cycling.json`, `${JSON.stringify(result, null, 2)}\n`);
writeFileSync(
  `${RESULTS}lane-cycling.md`,
  `${["| stage | figure | target | |", "|---|---|---|---|", ...report.summary, "", ...report.section].join("\n")}\n`,
);
for (const line of report.summary) progress(line);
