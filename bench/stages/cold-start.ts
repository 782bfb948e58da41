import { spawn } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";
import { DEFAULT_CREDENTIALS_MODULE, ESM_REQUIRE_BANNER, LAMBDA_CREDENTIALS_MODULE } from "../../lib/dispatcher-function.ts";
import { median, round } from "../support/stats.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** The Lambda entries, and the SDK clients each must at least load. */
const ENTRIES = ["functions/api/index.ts", "functions/delivery/index.ts", "functions/dead-letter/index.ts"];

/** Client classes by package: what the baseline bundle imports, and nothing else. */
const CLIENT_EXPORTS: Record<string, string> = {
  "@aws-sdk/client-dynamodb": "DynamoDBClient",
  "@aws-sdk/lib-dynamodb": "DynamoDBDocumentClient",
  "@aws-sdk/client-sqs": "SQSClient",
  "@aws-sdk/client-secrets-manager": "SecretsManagerClient",
};

export interface BundleFigure {
  entry: string;
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
  met: { size: boolean; ratio: boolean };
  /** The same entry with node:http loaded through process.getBuiltinModule (the proposed fix). */
  proposed: { importMs: number; ratio: number };
}

export interface ColdStartResult {
  bundles: BundleFigure[];
  repeats: number;
  targets: { kb: number; ratio: number };
}

/**
 * The fix this stage proposes, applied at bundling time to measure its effect: an ES-module import of
 * node:http builds an ESM facade of every export, and its lazy getters load Node's bundled undici
 * (about 20 ms); process.getBuiltinModule() returns the CommonJS module without a facade.
 */
const builtinHttpPlugin: Plugin = {
  name: "builtin-http",
  setup(b) {
    b.onLoad({ filter: /functions[\\/]adapters[\\/]http-sender\.ts$/ }, (args) => ({
      loader: "ts",
      contents: readFileSync(args.path, "utf8")
        .replace(/^import http from "node:http";$/m, 'const http = process.getBuiltinModule("node:http");')
        .replace(/^import https from "node:https";$/m, 'const https = process.getBuiltinModule("node:https");'),
    }));
  },
};

/** Bundles as lib/dispatcher-function.ts has the CDK bundle them (ESM, minified, node24, credential alias). */
async function bundle(entryPoint: string, outfile: string, plugins: Plugin[] = []): Promise<Metafile> {
  const result = await build({
    entryPoints: [entryPoint],
    outfile,
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node24",
    mainFields: ["module", "main"],
    banner: { js: ESM_REQUIRE_BANNER },
    alias: { [DEFAULT_CREDENTIALS_MODULE]: resolve(ROOT, LAMBDA_CREDENTIALS_MODULE) },
    metafile: true,
    plugins,
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  return result.metafile;
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

/** Milliseconds a fresh Node process takes to `await import()` the file, with the functions' env. */
function importTime(file: string): Promise<number> {
  const script = `const t=performance.now();await import(${JSON.stringify(pathToFileURL(file).href)});process.stdout.write(String(performance.now()-t));`;
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      env: {
        PATH: process.env.PATH ?? "",
        TABLE_NAME: "hookrelay",
        DELIVERY_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/hookrelay-deliveries",
        DEAD_LETTER_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/000000000000/hookrelay-dead-letters",
        ADMIN_API_KEY: "bench-admin-key",
        AWS_REGION: "us-east-1",
        AWS_ACCESS_KEY_ID: "bench",
        AWS_SECRET_ACCESS_KEY: "bench",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.stderr.on("data", (d: Buffer) => {
      err += d.toString();
    });
    child.on("exit", (code) => (code === 0 ? resolvePromise(Number(out)) : reject(new Error(`import of ${file} failed: ${err}`))));
  });
}

/**
 * Stage 4: each function's bundle size, and its cold import time in a fresh process against a
 * baseline bundle that imports only the same SDK clients (lazily where the entry is lazy), built the
 * same way. Fresh processes alternate entry and baseline, so noise hits both.
 */
export async function benchColdStart(repeats: number, progress: (line: string) => void): Promise<ColdStartResult> {
  const dir = mkdtempSync(join(tmpdir(), "hookrelay-bench-"));
  try {
    const built: { entry: string; file: string; proposed: string; baseline: string; clients: { name: string; lazy: boolean }[] }[] = [];
    for (const [i, entry] of ENTRIES.entries()) {
      const file = join(dir, `entry-${i}.mjs`);
      const clients = clientsOf(await bundle(resolve(ROOT, entry), file));
      const proposed = join(dir, `proposed-${i}.mjs`);
      await bundle(resolve(ROOT, entry), proposed, [builtinHttpPlugin]);
      const source = clients
        .map(({ name, lazy }, k) =>
          lazy
            ? `export const lazy${k} = () => import(${JSON.stringify(name)}).then((m) => m.${CLIENT_EXPORTS[name]});`
            : `export { ${CLIENT_EXPORTS[name]} } from ${JSON.stringify(name)};`,
        )
        .join("\n");
      const baselineSource = join(ROOT, "bench", "results", `baseline-${i}.tmp.ts`);
      writeFileSync(baselineSource, `${source}\n`);
      const baseline = join(dir, `baseline-${i}.mjs`);
      try {
        await bundle(baselineSource, baseline);
      } finally {
        rmSync(baselineSource, { force: true });
      }
      built.push({ entry, file, proposed, baseline, clients });
    }
    const samples = built.map(() => ({ entry: [] as number[], baseline: [] as number[], proposed: [] as number[] }));
    for (let r = 0; r < repeats; r++) {
      for (const [i, b] of built.entries()) {
        samples[i]?.entry.push(await importTime(b.file));
        samples[i]?.baseline.push(await importTime(b.baseline));
        samples[i]?.proposed.push(await importTime(b.proposed));
      }
    }
    const bundles = built.map((b, i): BundleFigure => {
      const s = samples[i] as { entry: number[]; baseline: number[]; proposed: number[] };
      const bytes = readFileSync(b.file).length;
      const ratio = median(s.entry) / median(s.baseline);
      const figure: BundleFigure = {
        entry: b.entry,
        bytes,
        kb: round(bytes / 1024, 1),
        clients: b.clients.map((c) => `${c.name}${c.lazy ? " (lazy)" : ""}`),
        baselineBytes: readFileSync(b.baseline).length,
        importMs: round(median(s.entry), 1),
        baselineImportMs: round(median(s.baseline), 1),
        importMsSamples: s.entry.map((v) => round(v, 1)),
        baselineImportMsSamples: s.baseline.map((v) => round(v, 1)),
        ratio: round(ratio, 3),
        met: { size: bytes <= 400 * 1024, ratio: ratio <= 1.2 },
        proposed: { importMs: round(median(s.proposed), 1), ratio: round(median(s.proposed) / median(s.baseline), 3) },
      };
      progress(
        `  ${b.entry}: ${figure.kb} KB, import ${figure.importMs} ms vs ${figure.baselineImportMs} ms (x${figure.ratio}; with the proposed fix ${figure.proposed.importMs} ms, x${figure.proposed.ratio})`,
      );
      return figure;
    });
    return { bundles, repeats, targets: { kb: 400, ratio: 1.2 } };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
