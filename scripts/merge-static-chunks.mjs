/**
 * Merges the chunks a split bundle's index.mjs imports statically back into index.mjs, so that a
 * cold start reads one file instead of many (each ES module costs Node about 0.34 ms at import:
 * the file read and the loader's async steps). esbuild's --splitting puts the code shared between
 * the entry's static graph and any dynamic import() in chunks of their own, and has no option to
 * keep it in the entry (evanw/esbuild#207), hence this step after the build.
 *
 * index.mjs is rebuilt from itself and its static chunks, re-exporting under short names what the
 * lazy chunks import from those chunks; each lazy chunk that imported one is rebuilt to import the
 * same bindings (live, as ES imports) from index.mjs; the merged chunks are deleted. Plain
 * JavaScript: the CDK's afterBundling hook runs it with whatever `node` is on the PATH.
 *
 * CLI: node scripts/merge-static-chunks.mjs <outputDir> <metafile> [--sourcemap]
 * (the metafile is deleted after it is read: it must not ship in the asset).
 */
import { existsSync, readdirSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/** What NodejsFunction and the split build put at the top of every file (lib/dispatcher-function.ts ESM_REQUIRE_BANNER). */
export const ESM_REQUIRE_BANNER =
  'import { createRequire as __hookrelayCreateRequire } from "node:module"; const require = __hookrelayCreateRequire(import.meta.url);';

/** The name under which index.mjs re-exports the static chunks' bindings (a prefix no minified export starts with). */
const EXPORT_PREFIX = "$hr";

/**
 * @typedef {{ path: string, kind: string, external?: boolean }} MetaImport
 * @typedef {{ imports: MetaImport[], exports: string[], entryPoint?: string }} MetaOutput
 * @typedef {{ outputs: Record<string, MetaOutput> }} Metafile
 */

/**
 * Merges the static chunks of the split build in `outputDir` (esbuild's `metafile` of that build)
 * into index.mjs; throws, naming the file, when the result would not link.
 * @param {string} outputDir
 * @param {Metafile} metafile
 * @param {{ sourcemap?: boolean }} [options]
 * @returns {Promise<{ merged: string[], rewritten: string[] }>} the deleted chunks and the rebuilt lazy ones, relative to outputDir
 */
export async function mergeStaticChunks(outputDir, metafile, options = {}) {
  // esbuild resolves what it reads to real paths: a folder reached through a symlink (macOS's
  // os.tmpdir(), a CDK --output) is compared by its real path too.
  outputDir = realpathSync(outputDir);
  const sourcemap = options.sourcemap === true;
  const outputs = outputsOf(metafile);
  if (!outputs.has("index.mjs")) throw new Error(`merge-static-chunks: the metafile has no index.mjs output for ${outputDir}`);
  // The static set: index.mjs and every chunk reachable through import statements.
  const staticSet = new Set();
  const visit = (/** @type {string} */ file) => {
    if (staticSet.has(file)) return;
    staticSet.add(file);
    for (const i of outputs.get(file)?.imports ?? []) if (i.kind === "import-statement" && outputs.has(i.path)) visit(i.path);
  };
  visit("index.mjs");
  const lazy = [...outputs.keys()].filter((f) => !staticSet.has(f));
  const chunks = [...staticSet].filter((f) => f !== "index.mjs");
  if (chunks.length === 0) return { merged: [], rewritten: [] };

  // Every export of a static file some lazy chunk imports, under a unique short name.
  /** @type {Map<string, Map<string, string>>} static file -> its export -> the name index.mjs exports it as */
  const renamed = new Map();
  let counter = 0;
  for (const file of lazy) {
    for (const i of outputs.get(file)?.imports ?? []) {
      if (!staticSet.has(i.path) || renamed.has(i.path)) continue;
      const names = new Map();
      for (const name of outputs.get(i.path)?.exports ?? []) {
        names.set(name, i.path === "index.mjs" ? name : `${EXPORT_PREFIX}${(counter++).toString(36)}`);
      }
      renamed.set(i.path, names);
    }
  }

  const abs = (/** @type {string} */ file) => join(outputDir, file);
  const entry = [
    `export { ${(outputs.get("index.mjs")?.exports ?? []).join(", ")} } from ${JSON.stringify(abs("index.mjs"))};`,
    ...[...renamed]
      .filter(([file]) => file !== "index.mjs")
      .map(([file, names]) => `export { ${[...names].map(([n, as]) => `${n} as ${as}`).join(", ")} } from ${JSON.stringify(abs(file))};`),
  ].join("\n");
  const index = await rebuild(outputDir, "index.mjs", { contents: entry, resolveDir: outputDir }, staticSet, new Map(), sourcemap);
  const files = [{ file: "index.mjs", code: index.code, map: index.map }];
  const rewritten = lazy.filter((file) => (outputs.get(file)?.imports ?? []).some((i) => staticSet.has(i.path)));
  for (const file of rewritten) {
    const out = await rebuild(outputDir, file, undefined, staticSet, renamed, sourcemap);
    files.push({ file, code: out.code, map: out.map });
  }
  for (const { file, code, map } of files) {
    writeFileSync(abs(file), code);
    if (map !== undefined) writeFileSync(`${abs(file)}.map`, map);
  }
  for (const file of chunks) {
    rmSync(abs(file), { force: true });
    rmSync(`${abs(file)}.map`, { force: true });
  }
  await checkLinks(outputDir);
  return { merged: chunks, rewritten };
}

/**
 * The metafile's outputs keyed by their path relative to the output directory: the build's working
 * directory is unknown here, and every output sits under the folder of its index.mjs.
 * @param {Metafile} metafile
 * @returns {Map<string, MetaOutput>}
 */
function outputsOf(metafile) {
  const keys = Object.keys(metafile.outputs).filter((k) => !k.endsWith(".map"));
  const index = keys.find((k) => (k === "index.mjs" || k.endsWith("/index.mjs")) && metafile.outputs[k]?.entryPoint);
  const prefix = index === undefined ? "" : index.slice(0, -"index.mjs".length);
  const rel = (/** @type {string} */ k) => (k.startsWith(prefix) ? k.slice(prefix.length) : k);
  return new Map(
    keys.map((k) => {
      const o = /** @type {MetaOutput} */ (metafile.outputs[k]);
      return [rel(k), { ...o, imports: o.imports.map((i) => (i.external ? i : { ...i, path: rel(i.path) })) }];
    }),
  );
}

/**
 * esbuild bundles `file` (or a virtual entry written to it): the static files it reaches are bundled
 * in, a static file a lazy chunk imports becomes a re-export from index.mjs, everything else stays
 * external with its path rewritten relative to where the output is written.
 * @param {string} outputDir
 * @param {string} file the output written, relative to outputDir
 * @param {{ contents: string, resolveDir: string } | undefined} stdin a virtual entry instead of the file itself
 * @param {Set<string>} staticSet
 * @param {Map<string, Map<string, string>>} renamed
 * @param {boolean} sourcemap
 */
async function rebuild(outputDir, file, stdin, staticSet, renamed, sourcemap) {
  const outfile = join(outputDir, file);
  const fromOutput = (/** @type {string} */ target) => {
    const p = relative(dirname(outfile), target).split(sep).join("/");
    return p.startsWith(".") ? p : `./${p}`;
  };
  const isIndex = file === "index.mjs";
  /** @type {import("esbuild").Plugin} */
  const plugin = {
    name: "merge-static-chunks",
    setup(b) {
      b.onResolve({ filter: /.*/, namespace: "index-facade" }, () => ({ path: fromOutput(join(outputDir, "index.mjs")), external: true }));
      b.onResolve({ filter: /.*/ }, (args) => {
        if (args.kind === "entry-point") return undefined;
        const relativeSpec = args.path.startsWith("./") || args.path.startsWith("../") || isAbsolute(args.path);
        if (!relativeSpec) return { path: args.path, external: true };
        const target = resolve(args.resolveDir, args.path);
        const key = relative(outputDir, target).split(sep).join("/");
        if (staticSet.has(key) && args.kind === "import-statement") {
          if (isIndex) return { path: target, sideEffects: true };
          return { path: key, namespace: "index-facade" };
        }
        return { path: fromOutput(target), external: true };
      });
      b.onLoad({ filter: /.*/, namespace: "index-facade" }, (args) => {
        const names = renamed.get(args.path);
        if (names === undefined) throw new Error(`${file} imports ${args.path}, which exports nothing a lazy chunk may import`);
        return { contents: `export { ${[...names].map(([n, as]) => `${as} as ${n}`).join(", ")} } from "index.mjs";`, loader: "js" };
      });
      // The banner goes once, at the top of the output: each input's own is blanked, its line kept so
      // that the input's linked source map (which esbuild reads and chains to the TypeScript) still fits.
      b.onLoad({ filter: /\.mjs$/ }, (args) => {
        const contents = readFileSync(args.path, "utf8");
        return { contents: contents.startsWith(ESM_REQUIRE_BANNER) ? contents.slice(ESM_REQUIRE_BANNER.length) : contents, loader: "js" };
      });
    },
  };
  const result = await build({
    ...(stdin ? { stdin: { ...stdin, sourcefile: "merge-entry.mjs", loader: "js" } } : { entryPoints: [outfile] }),
    outfile,
    bundle: true,
    format: "esm",
    platform: "node",
    target: "node24",
    minify: true,
    splitting: false,
    banner: { js: ESM_REQUIRE_BANNER },
    sourcemap: sourcemap ? "linked" : false,
    write: false,
    metafile: true,
    logLevel: "silent",
    plugins: [plugin],
  }).catch((/** @type {Error} */ e) => {
    throw new Error(`merge-static-chunks: rebuilding ${join(outputDir, file)} failed: ${e.message}`);
  });
  // One copy of each module: index.mjs holds the static files alone, a rebuilt lazy chunk itself alone.
  for (const input of Object.keys(result.metafile.inputs)) {
    if (input.startsWith("index-facade:") || input.endsWith("merge-entry.mjs")) continue;
    const key = relative(outputDir, resolve(input)).split(sep).join("/");
    if (isIndex ? !staticSet.has(key) : key !== file) {
      throw new Error(`merge-static-chunks: ${join(outputDir, file)} would hold a second copy of ${key}`);
    }
  }
  const code = result.outputFiles.find((o) => o.path === outfile)?.text ?? "";
  const map = result.outputFiles.find((o) => o.path === `${outfile}.map`)?.text;
  return { code, map };
}

/**
 * Refuses an output that would not link: any .mjs file under outputDir (the split build's or not:
 * another build may have written there) that imports, statically or dynamically, a file that is not
 * there, such as a deleted chunk. Each file's imports as esbuild parses them, not as text.
 * @param {string} outputDir
 */
async function checkLinks(outputDir) {
  const files = readdirSync(outputDir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".mjs"));
  await Promise.all(
    files.map(async (file) => {
      /** @type {string[]} */
      const specs = [];
      /** @type {import("esbuild").Plugin} */
      const record = {
        name: "record-imports",
        setup(b) {
          b.onResolve({ filter: /.*/ }, (args) => {
            if (args.kind === "entry-point") return undefined;
            specs.push(args.path);
            return { path: args.path, external: true };
          });
        },
      };
      await build({
        entryPoints: [join(outputDir, file)],
        bundle: true,
        write: false,
        format: "esm",
        platform: "node",
        logLevel: "silent",
        plugins: [record],
      });
      for (const spec of specs.filter((p) => /^\.\.?\//.test(p))) {
        if (!existsSync(resolve(dirname(join(outputDir, file)), spec))) {
          throw new Error(`merge-static-chunks: ${join(outputDir, file)} refers to ${spec}, which is not in the output`);
        }
      }
    }),
  );
}

// Run as a CLI (through a symlink too), not when the bench or a test imports it.
if (process.argv[1] && realpathSync(process.argv[1]) === realpathSync(fileURLToPath(import.meta.url))) {
  const [outputDir, metafilePath] = process.argv.slice(2).filter((a) => !a.startsWith("--"));
  if (!outputDir || !metafilePath) {
    process.stderr.write("usage: node scripts/merge-static-chunks.mjs <outputDir> <metafile> [--sourcemap]\n");
    process.exit(2);
  }
  try {
    const metafile = JSON.parse(readFileSync(metafilePath, "utf8"));
    rmSync(metafilePath, { force: true });
    await mergeStaticChunks(resolve(outputDir), metafile, { sourcemap: process.argv.includes("--sourcemap") });
  } catch (e) {
    process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
    process.exit(1);
  }
}
