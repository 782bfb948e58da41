import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import type { Metafile } from "esbuild";
import { type Built, bundle } from "../support/bundle.ts";
import { canCountInstructions, importInstructions } from "../support/import-instructions.ts";
import { median, round } from "../support/stats.ts";
import { timedImport } from "../support/timed-import.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The Lambda entries, and the SDK clients each must at least load. */
const ENTRIES = ["functions/api/index.ts", "functions/delivery/index.ts", "functions/dead-letter/index.ts"];

/** Client classes by package: what the baseline bundle imports, and nothing else. */
export const CLIENT_EXPORTS: Record<string, string> = {
  "@aws-sdk/client-dynamodb": "DynamoDBClient",
  "@aws-sdk/lib-dynamodb": "DynamoDBDocumentClient",
  "@aws-sdk/client-sqs": "SQSClient",
  "@aws-sdk/client-secrets-manager": "SecretsManagerClient",
};

/**
 * What a cold start may load and how much slower than the SDK clients alone its import may be (issue
 * 27 set 1.3). The load was 440 KB; 420 KB since the adapters only some requests use load on their
 * first call (408 KB for the API, docs/performance.md), then 424 KB: the ordered line's route, the key
 * cache and the event and attempt list keys came with the same release (420.2 KB for the API); 382 KB
 * since the API's route areas load on their first request (378.6 KB for the API, the largest; push
 * 372.2). What only some requests use (the API's route areas, the Svix face,
 * the example builder, the JSON Schema engine, the destinations, intake in the workers, the event,
 * feed, schedule, recovery and poll-lease stores) loads on first use.
 */
export const COLD_START_TARGETS = { kb: 382, ratio: 1.3 } as const;

export interface BundleFigure {
  entry: string;
  /** What a cold start loads: index.mjs and the chunks it imports statically (dynamic imports load on first use). */
  bytes: number;
  kb: number;
  /** The SDK clients the entry bundles, each marked static or lazy (dynamic import). */
  clients: string[];
  baselineBytes: number;
  importMs: number;
  baselineImportMs: number;
  importMsSamples: number[];
  baselineImportMsSamples: number[];
  /** Entry import time over the baseline's, medians of interleaved fresh processes. */
  ratio: number;
  /** The same in instructions executed (less an empty import's), where valgrind is installed: what a loaded machine does not move. */
  instructionRatio?: number;
  met: { size: boolean; ratio: boolean };
  /** The entry bundled with its source map and imported under --enable-source-maps (the `sourceMaps` prop), against the entry as deployed by default. */
  sourceMaps: { mapKb: number; importMs: number; importMsSamples: number[]; extraMs: number; ratio: number };
}

export interface ColdStartResult {
  bundles: BundleFigure[];
  repeats: number;
  /** The SDK clients made as functions/runtime.ts makes them at import (the document client; SQS on its first call), and nothing else. */
  clientsConstructed: { importMs: number; ratio: number };
  /** Source maps on over off, the median of the entries' ratios: what the `sourceMaps` prop's default rests on. */
  sourceMapsRatio: number;
  targets: { kb: number; ratio: number };
}

/** The SDK client packages a bundle contains, and whether the entry's own code only imports them lazily. */
function clientsOf(metafile: Metafile): { name: string; lazy: boolean }[] {
  const found = new Map<string, boolean>();
  for (const [path, input] of Object.entries(metafile.inputs)) {
    if (path.includes("node_modules")) continue;
    for (const imp of input.imports) {
      const name = Object.keys(CLIENT_EXPORTS).find((pkg) => imp.original === pkg);
      if (name) found.set(name, (found.get(name) ?? true) && imp.kind === "dynamic-import");
    }
  }
  return [...found].map(([name, lazy]) => ({ name, lazy })).sort((a, b) => a.name.localeCompare(b.name));
}

/** Wall milliseconds a fresh Node process takes to `await import()` the file (timed-import.ts). */
const importTime = async (file: string, nodeOptions: string[] = []): Promise<number> => (await timedImport(file, nodeOptions)).wall;

/**
 * Stage 4: each function's bundle size, and its cold import time in a fresh process against a
 * baseline bundle that imports only the same SDK clients (lazily where the entry is lazy), built the
 * same way; and the same entry with its source map under --enable-source-maps (the `sourceMaps`
 * prop). Fresh processes alternate entry, baseline and mapped entry, so noise hits all of them.
 */
export async function benchColdStart(repeats: number, progress: (line: string) => void): Promise<ColdStartResult> {
  const dir = mkdtempSync(join(tmpdir(), "hookrelay-bench-"));
  try {
    const built: {
      entry: string;
      file: string;
      bytes: number;
      mapped: string;
      baseline: string;
      baselineBytes: number;
      clients: { name: string; lazy: boolean }[];
    }[] = [];
    for (const [i, entry] of ENTRIES.entries()) {
      const own = await bundle(resolve(ROOT, entry), join(dir, `entry-${i}`));
      const { file, bytes } = own;
      const clients = clientsOf(own.metafile);
      // As the CDK bundles with sourceMaps on: the map beside the file, a sourceMappingURL comment in it.
      const mapped = (await bundle(resolve(ROOT, entry), join(dir, `mapped-${i}`), [], true)).file;
      const source = clients
        .map(({ name, lazy }, k) =>
          lazy
            ? `export const lazy${k} = () => import(${JSON.stringify(name)}).then((m) => m.${CLIENT_EXPORTS[name]});`
            : `export { ${CLIENT_EXPORTS[name]} } from ${JSON.stringify(name)};`,
        )
        .join("\n");
      const baselineSource = join(ROOT, "bench", "results", `baseline-${i}.tmp.ts`);
      writeFileSync(baselineSource, `${source}\n`);
      let baseline: Built;
      try {
        baseline = await bundle(baselineSource, join(dir, `baseline-${i}`));
      } finally {
        rmSync(baselineSource, { force: true });
      }
      built.push({
        entry,
        file,
        bytes,
        mapped,
        baseline: baseline.file,
        baselineBytes: baseline.bytes,
        clients,
      });
    }
    // The SDK clients made as the functions make them at import (functions/runtime.ts: the document
    // client, and SQS's made on its first call), and nothing else: what the SDK alone costs at cold
    // start beyond importing its classes.
    const constructedSource = join(ROOT, "bench", "results", "constructed.tmp.ts");
    writeFileSync(
      constructedSource,
      'import { createDocumentClient, sqsOnFirstCall } from "../../functions/adapters/lambda/aws-clients.ts";\nexport const clients = [createDocumentClient(), sqsOnFirstCall()];\n',
    );
    let constructed: string;
    try {
      constructed = (await bundle(constructedSource, join(dir, "constructed"))).file;
    } finally {
      rmSync(constructedSource, { force: true });
    }
    const constructedSamples: number[] = [];
    const samples = built.map(() => ({
      entry: [] as number[],
      baseline: [] as number[],
      mapped: [] as number[],
    }));
    for (let r = 0; r < repeats; r++) {
      for (const [i, b] of built.entries()) {
        samples[i]?.entry.push(await importTime(b.file));
        samples[i]?.baseline.push(await importTime(b.baseline));
        samples[i]?.mapped.push(await importTime(b.mapped, ["--enable-source-maps"]));
      }
      constructedSamples.push(await importTime(constructed));
    }
    // One count each: it repeats within about 3 % (import-instructions.ts).
    const counting = canCountInstructions();
    const empty = counting ? importInstructions() : 0;
    const instructionRatios = built.map((b) =>
      counting ? round((importInstructions(b.file) - empty) / (importInstructions(b.baseline) - empty), 3) : undefined,
    );
    const bundles = built.map((b, i): BundleFigure => {
      const s = samples[i] as { entry: number[]; baseline: number[]; mapped: number[] };
      const bytes = b.bytes;
      const ratio = median(s.entry) / median(s.baseline);
      const figure: BundleFigure = {
        entry: b.entry,
        bytes,
        kb: round(bytes / 1024, 1),
        clients: b.clients.map((c) => `${c.name}${c.lazy ? " (lazy)" : ""}`),
        baselineBytes: b.baselineBytes,
        importMs: round(median(s.entry), 1),
        baselineImportMs: round(median(s.baseline), 1),
        importMsSamples: s.entry.map((v) => round(v, 1)),
        baselineImportMsSamples: s.baseline.map((v) => round(v, 1)),
        ratio: round(ratio, 3),
        ...(instructionRatios[i] !== undefined && { instructionRatio: instructionRatios[i] }),
        met: { size: bytes <= COLD_START_TARGETS.kb * 1024, ratio: ratio <= COLD_START_TARGETS.ratio },
        sourceMaps: {
          mapKb: round(readFileSync(`${b.mapped}.map`).length / 1024, 1),
          importMs: round(median(s.mapped), 1),
          importMsSamples: s.mapped.map((v) => round(v, 1)),
          extraMs: round(median(s.mapped) - median(s.entry), 1),
          ratio: round(median(s.mapped) / median(s.entry), 3),
        },
      };
      progress(
        `  ${b.entry}: ${figure.kb} KB, import ${figure.importMs} ms vs ${figure.baselineImportMs} ms (x${figure.ratio}${figure.instructionRatio === undefined ? "" : `; in instructions x${figure.instructionRatio}`})`,
      );
      progress(
        `    with source maps (${figure.sourceMaps.mapKb} KB map, --enable-source-maps): ${figure.sourceMaps.importMs} ms, +${figure.sourceMaps.extraMs} ms, x${figure.sourceMaps.ratio}`,
      );
      return figure;
    });
    const deliveryBaseline = bundles.find((b) => b.entry === "functions/delivery/index.ts")?.baselineImportMs ?? Number.NaN;
    const clientsConstructed = {
      importMs: round(median(constructedSamples), 1),
      ratio: round(median(constructedSamples) / deliveryBaseline, 3),
    };
    progress(
      `  SDK clients as the functions make them at import, nothing else: ${clientsConstructed.importMs} ms (x${clientsConstructed.ratio} over the delivery baseline)`,
    );
    const sourceMapsRatio = round(median(bundles.map((b) => b.sourceMaps.ratio)), 3);
    progress(`  source maps on over off, median of the entries: x${sourceMapsRatio}`);
    return { bundles, repeats, clientsConstructed, sourceMapsRatio, targets: { ...COLD_START_TARGETS } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
