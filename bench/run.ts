/**
 * `npm run bench`: the benchmarks of issue 6. Each stage prints progress lines; the results go to
 * bench/results/latest.json and bench/results/latest.md. Every figure is a ratio against a limit
 * measured in the same run, or a time against its target. All traffic stays on 127.0.0.1.
 * Options: --quick for a short smoke run; --profile writes CPU profiles of the delivery-worker
 * and stack processes to bench/results/ (git-ignored) for `node bench/support/profile-summary.ts`.
 * A stage runs alone by its name, `npm run bench -- cost` (or `-- --stage cost`), printing its
 * figures beside their targets as the full run does; its result goes to bench/results/<name>.json
 * (and .md for cost and feed-memory). The cost stage alone runs the end-to-end runs it prices, with
 * the emulators in a process of their own (bench/support/emulator-process.ts).
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { STAGES, type StageName, stageTable } from "./stage-table.ts";
import { intakeReport } from "./stages/intake.ts";
import { feedMemorySection } from "./support/feed-memory-report.ts";
import { type BenchReport, costSection, markdownReport } from "./support/report.ts";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { profile: { type: "boolean", default: false }, quick: { type: "boolean", default: false }, stage: { type: "string" } },
});
const alone = values.stage ?? positionals[0];
if (alone !== undefined && !STAGES.includes(alone as StageName))
  throw new Error(`bench: no stage named "${alone}"; the stages are ${STAGES.join(", ")}`);
const RESULTS = fileURLToPath(new URL("./results/", import.meta.url));
const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0).padStart(3)} s`;
const progress = (line: string) => process.stdout.write(`${elapsed()} ${line}\n`);
const quick = values.quick;
const execArgv = values.profile ? ["--cpu-prof", `--cpu-prof-dir=${RESULTS}`] : [];

mkdirSync(RESULTS, { recursive: true });
const { stages, stopMain } = stageTable({ quick, execArgv, progress, alone, RESULTS });

const machine = () => ({ node: process.version, cpuModel: os.cpus()[0]?.model ?? "?" });

if (alone !== undefined) {
  const name = alone as StageName;
  try {
    const part = await stages[name]();
    const result = { startedAt: new Date().toISOString(), ...machine(), command: `npm run bench -- ${name}`, ...part };
    writeFileSync(`${RESULTS}${name}.json`, `${JSON.stringify(result, null, 2)}\n`);
    if (part.cost) writeFileSync(`${RESULTS}cost.md`, `${costSection(part.cost).join("\n")}\n`);
    if (part.feedMemory) writeFileSync(`${RESULTS}feed-memory.md`, `${feedMemorySection(part.feedMemory).join("\n")}\n`);
    if (part.intake) writeFileSync(`${RESULTS}intake.md`, `${intakeReport(part.intake, result.command).section.join("\n")}\n`);
    progress(`done: bench/results/${name}.json${part.cost || part.feedMemory ? ` and bench/results/${name}.md` : ""}`);
  } finally {
    await stopMain();
  }
  process.exit(0);
}

// The full run: every stage in STAGES order (those without a stack first, then the shared stack's).
let report: BenchReport;
try {
  let parts: Partial<BenchReport> = {};
  for (const name of STAGES) parts = { ...parts, ...(await stages[name]()) };
  let commit = "unknown";
  try {
    commit = execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim();
    if (execFileSync("git", ["status", "--porcelain", "functions", "local", "lib"], { encoding: "utf8" }).trim()) commit += "+uncommitted";
  } catch {
    // not a git checkout
  }
  report = {
    ...(parts as Omit<BenchReport, "startedAt" | "seconds" | "machine" | "commit" | "command">),
    startedAt: new Date(Date.now() - (performance.now() - started)).toISOString(),
    seconds: (performance.now() - started) / 1000,
    machine: {
      node: process.version,
      cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model ?? "?",
      platform: `${os.platform()} ${os.arch()}`,
    },
    commit,
    command: "npm run bench",
  };
} finally {
  await stopMain();
}
writeFileSync(`${RESULTS}latest.json`, `${JSON.stringify(report, null, 2)}\n`);
writeFileSync(`${RESULTS}latest.md`, markdownReport(report));
progress(`done: bench/results/latest.json and bench/results/latest.md`);
