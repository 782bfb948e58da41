import { readFileSync, statSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";
import { DEFAULT_CREDENTIALS_MODULE, DOC_LABEL, ESM_REQUIRE_BANNER, LAMBDA_CREDENTIALS_MODULE } from "../../lib/dispatcher-function.ts";
import { mergeStaticChunks } from "../../scripts/merge-static-chunks.mjs";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A bundle as built: its entry file, what a cold start of it loads, and esbuild's account of it. */
export interface Built {
  file: string;
  /** index.mjs and every chunk it reaches through static imports: what a cold start parses. */
  bytes: number;
  /** The split build's outputs a cold start loads (metafile paths), all merged into index.mjs: a test checks what it does not load. */
  loaded: string[];
  /** The files a cold start reads, as written: index.mjs alone once the static chunks are merged into it. */
  files: string[];
  /** The split build's account (before the merge): its inputs, and which outputs held what. */
  metafile: Metafile;
}

/**
 * Bundles as lib/dispatcher-function.ts has the CDK bundle them (ESM, minified, node24, credential
 * alias, split: each dynamic import a chunk loaded on first use, then the static chunks merged into
 * index.mjs by scripts/merge-static-chunks.mjs) into `outdir`; `merge: false` leaves the split as esbuild made it.
 */
export async function bundle(
  entryPoint: string,
  outdir: string,
  plugins: Plugin[] = [],
  sourcemap = false,
  options: { merge?: boolean } = {},
): Promise<Built> {
  const result = await build({
    entryPoints: { index: entryPoint },
    outdir,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    bundle: true,
    minify: true,
    format: "esm",
    platform: "node",
    target: "node24",
    mainFields: ["module", "main"],
    banner: { js: ESM_REQUIRE_BANNER },
    dropLabels: [DOC_LABEL],
    alias: { [DEFAULT_CREDENTIALS_MODULE]: resolve(ROOT, LAMBDA_CREDENTIALS_MODULE) },
    metafile: true,
    sourcemap,
    plugins,
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  const outputs = result.metafile.outputs;
  const file = join(outdir, "index.mjs");
  const loaded = new Set<string>();
  const visit = (path: string) => {
    if (loaded.has(path) || !outputs[path]) return;
    loaded.add(path);
    for (const i of outputs[path].imports) if (i.kind === "import-statement") visit(i.path);
  };
  visit(Object.keys(outputs).find((path) => resolve(ROOT, path) === file) ?? "");
  if (options.merge !== false) await mergeStaticChunks(resolve(ROOT, outdir), result.metafile, { sourcemap });
  const files = staticFiles(resolve(ROOT, file));
  const bytes = files.reduce((sum, path) => sum + statSync(path).size, 0);
  return { file, bytes, loaded: [...loaded], files, metafile: result.metafile };
}

/** `file` and every file it imports statically, as written on disk (what a cold start reads). */
export function staticFiles(file: string): string[] {
  const read = new Set<string>();
  const visit = (path: string) => {
    if (read.has(path)) return;
    read.add(path);
    // Minified static imports: `import{a as b}from"./chunks/x.mjs"` or `import"./x.mjs"`; import("…") is lazy.
    for (const [, spec] of readFileSync(path, "utf8").matchAll(/(?:\bfrom|\bimport)\s*"(\.\.?\/[^"]+)"/g)) {
      visit(join(dirname(path), spec as string));
    }
  };
  visit(file);
  return [...read];
}
