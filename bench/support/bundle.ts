import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { build, type Metafile, type Plugin } from "esbuild";
import { DEFAULT_CREDENTIALS_MODULE, DOC_LABEL, ESM_REQUIRE_BANNER, LAMBDA_CREDENTIALS_MODULE } from "../../lib/dispatcher-function.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A bundle as built: its entry file, what a cold start of it loads, and esbuild's account of it. */
export interface Built {
  file: string;
  /** index.mjs and every chunk it reaches through static imports: what a cold start parses. */
  bytes: number;
  /** The outputs that make `bytes` (metafile paths): a test checks what a cold start does not load. */
  loaded: string[];
  metafile: Metafile;
}

/**
 * Bundles as lib/dispatcher-function.ts has the CDK bundle them (ESM, minified, node24, credential
 * alias, split: each dynamic import a chunk loaded on first use) into `outdir`.
 */
export async function bundle(entryPoint: string, outdir: string, plugins: Plugin[] = [], sourcemap = false): Promise<Built> {
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
  const bytes = [...loaded].reduce((sum, path) => sum + (outputs[path]?.bytes ?? 0), 0);
  return { file, bytes, loaded: [...loaded], metafile: result.metafile };
}
