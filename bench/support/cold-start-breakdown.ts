/**
 * What each dependency and each of our modules adds to a cold start: probe bundles, each the SDK
 * clients alone (the cold-start stage's baseline) plus one piece used as the entries use it, built as
 * the construct builds them, imported in fresh processes in interleaved rounds. A piece's figure is
 * its probe's median import time over the baseline's, and the bytes it adds to what a cold start
 * loads. Pieces overlap (the runtime holds the logger, an entry holds the runtime), so the figures do
 * not add up to an entry's. Each is given in wall time (as the stage measures) and in the import's
 * CPU time, which a loaded machine disturbs less; with --instructions (valgrind on the PATH), also in
 * instructions executed by the import (one run each: the count repeats within about 3 %, whatever the
 * load), over those of importing an empty module, which is the figure least moved by other work on
 * the machine. Usage: node bench/support/cold-start-breakdown.ts [ROUNDS] [--instructions]
 */
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { CLIENT_EXPORTS } from "../stages/cold-start.ts";
import { bundle } from "./bundle.ts";
import { importInstructions } from "./import-instructions.ts";
import { median, round } from "./stats.ts";
import { timedImport } from "./timed-import.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const F = "../../functions";

/** Each piece: the statements that load it and do at import what the entries do with it. */
export const PIECES: Record<string, string> = {
  "SDK clients as made at import (aws-clients.ts; SQS on its first call)": `import { createDocumentClient, sqsOnFirstCall } from "${F}/adapters/lambda/aws-clients.ts";\nexport const piece = [createDocumentClient(), sqsOnFirstCall()];`,
  "settings: parseConfig(process.env)": `import { parseConfig } from "${F}/core/config/config.ts";\nexport const piece = parseConfig(process.env);`,
  "JSON log (createLog; was Powertools Logger)": `import { createLog } from "${F}/adapters/lambda/logger.ts";\nexport const piece = createLog("json", "INFO", "probe");`,
  "EMF metrics (createDeliveryMetrics; was Powertools Metrics)": `import { createDeliveryMetrics } from "${F}/adapters/lambda/metrics.ts";\nexport const piece = createDeliveryMetrics("json", "probe");`,
  "ipaddr.js: destination policy and outbound sender": `import { NodeHttpSender } from "${F}/adapters/http/http-sender.ts";\nimport { DestinationPolicy } from "${F}/core/ssrf/destination-policy.ts";\nexport const piece = new NodeHttpSender({ timeoutMs: 1000, policy: new DestinationPolicy([], { allowHttp: false }) });`,
  "valibot: the queue message's schema": `export * from "${F}/core/kernel/queue-message.ts";`,
  "valibot: the request schemas": `export * from "${F}/core/requests/validation.ts";`,
  "runtime (createRuntime, every adapter wired)": `import { createRuntime } from "${F}/runtime.ts";\nexport const piece = createRuntime("probe");`,
  "delivery handler module (functions/delivery/handler.ts)": `export * from "${F}/delivery/handler.ts";`,
  "API handler module and routes (functions/api/handler.ts)": `export * from "${F}/api/handler.ts";`,
  "entry: functions/api/index.ts": `export * from "${F}/api/index.ts";`,
  "entry: functions/delivery/index.ts": `export * from "${F}/delivery/index.ts";`,
  "entry: functions/dead-letter/index.ts": `export * from "${F}/dead-letter/index.ts";`,
};

/** The baseline's statements: the DynamoDB, document and SQS client classes, and nothing else. */
const BASELINE = ["@aws-sdk/client-dynamodb", "@aws-sdk/lib-dynamodb", "@aws-sdk/client-sqs"]
  .map((name) => `export { ${CLIENT_EXPORTS[name]} } from ${JSON.stringify(name)};`)
  .join("\n");

/** One piece's figures against the baseline of the same rounds. */
export interface PieceFigure {
  piece: string;
  addedKb: number;
  /** Wall time added, median over median. */
  addedMs: number;
  ratio: number;
  /** CPU time (user + system, every thread) added, median over median. */
  addedCpuMs: number;
  cpuRatio: number;
  /** The import's instructions over the baseline import's (with --instructions). */
  instructionRatio?: number;
}

/** Builds the probes and times them against the baseline in `rounds` interleaved rounds. */
export async function coldStartBreakdown(
  rounds: number,
  instructions = false,
): Promise<{ baselineMs: number; baselineCpuMs: number; baselineKb: number; pieces: PieceFigure[] }> {
  const dir = mkdtempSync(join(tmpdir(), "hookrelay-breakdown-"));
  try {
    const built: { piece: string; file: string; bytes: number }[] = [];
    const probes: [string, string][] = [["baseline", ""], ...Object.entries(PIECES)];
    for (const [i, [piece, source]] of probes.entries()) {
      // Written beside the stage's own probes so that the relative imports resolve; *.tmp.ts is ignored by git.
      const file = join(ROOT, "bench", "results", `breakdown-${i}.tmp.ts`);
      writeFileSync(file, `${BASELINE}\n${source}\n`);
      try {
        const b = await bundle(file, join(dir, `probe-${i}`));
        built.push({ piece, file: b.file, bytes: b.bytes });
      } finally {
        rmSync(file, { force: true });
      }
    }
    const wall = built.map(() => [] as number[]);
    const cpu = built.map(() => [] as number[]);
    for (let r = 0; r < rounds; r++) {
      for (const [i, b] of built.entries()) {
        const t = await timedImport(b.file);
        wall[i]?.push(t.wall);
        cpu[i]?.push(t.cpu);
      }
    }
    const empty = instructions ? importInstructions() : 0;
    const counts = instructions ? built.map((b) => importInstructions(b.file) - empty) : [];
    const [base, ...rest] = built;
    const baseMs = median(wall[0] ?? []);
    const baseCpu = median(cpu[0] ?? []);
    return {
      baselineMs: round(baseMs, 1),
      baselineCpuMs: round(baseCpu, 1),
      baselineKb: round((base?.bytes ?? 0) / 1024, 1),
      pieces: rest.map((b, i) => {
        const ms = median(wall[i + 1] ?? []);
        const cpuMs = median(cpu[i + 1] ?? []);
        return {
          piece: b.piece,
          addedKb: round((b.bytes - (base?.bytes ?? 0)) / 1024, 1),
          addedMs: round(ms - baseMs, 1),
          ratio: round(ms / baseMs, 3),
          addedCpuMs: round(cpuMs - baseCpu, 1),
          cpuRatio: round(cpuMs / baseCpu, 3),
          ...(instructions && { instructionRatio: round((counts[i + 1] ?? 0) / (counts[0] ?? 1), 3) }),
        };
      }),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.main) {
  const result = await coldStartBreakdown(Number(process.argv[2] ?? 9), process.argv.includes("--instructions"));
  process.stdout.write(
    `baseline (the SDK clients' classes): ${result.baselineKb} KB, ${result.baselineMs} ms wall, ${result.baselineCpuMs} ms CPU\n\n`,
  );
  process.stdout.write(
    "| piece (on top of the baseline) | adds KB | adds ms (wall) | × | adds ms (CPU) | × | × in instructions |\n|---|---|---|---|---|---|---|\n",
  );
  for (const p of result.pieces) {
    process.stdout.write(
      `| ${p.piece} | ${p.addedKb} | ${p.addedMs} | ${p.ratio} | ${p.addedCpuMs} | ${p.cpuRatio} | ${p.instructionRatio ?? ""} |\n`,
    );
  }
}
