/**
 * scripts/merge-static-chunks.mjs on small module graphs built in a temp dir: after the merge a cold
 * start reads index.mjs alone, every module still evaluates once, lazy code sees index.mjs's
 * bindings live, and an output that would not link is refused, naming the file.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { SourceMap } from "node:module";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { build, type Metafile } from "esbuild";
import fc from "fast-check";
import { afterEach, describe, expect, it } from "vitest";
import { bundle, staticFiles } from "../../bench/support/bundle.ts";
import { ESM_REQUIRE_BANNER } from "../../lib/dispatcher-function.ts";
import { mergeStaticChunks, ESM_REQUIRE_BANNER as SCRIPT_BANNER } from "../../scripts/merge-static-chunks.mjs";

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), "hookrelay-merge-"));
  dirs.push(dir);
  return dir;
}

/** A module graph: module i imports statically and dynamically only modules after it (no cycles); the entry any. */
interface Graph {
  size: number;
  entry: { static: number[]; dynamic: number[] };
  modules: { static: number[]; dynamic: number[] }[];
}

const graphs: fc.Arbitrary<Graph> = fc.integer({ min: 2, max: 7 }).chain((size) => {
  const after = (i: number) => fc.subarray(Array.from({ length: size - i - 1 }, (_, k) => i + 1 + k));
  const all = fc.subarray(Array.from({ length: size }, (_, k) => k));
  return fc.record({
    size: fc.constant(size),
    entry: fc.record({ static: all, dynamic: all }),
    modules: fc.tuple(...Array.from({ length: size }, (_, i) => fc.record({ static: after(i), dynamic: after(i) }))),
  });
});

/**
 * Writes the graph as TypeScript: each module records its evaluation in a registry on globalThis,
 * exports a value built from its static imports, a counter with `bump`, `seen` (its static imports'
 * counters, read through the import bindings) and `loadAll` (its dynamic imports, and its imports' own, recursively).
 */
function writeGraph(dir: string, graph: Graph, key: string): string {
  const reg = `(globalThis[${JSON.stringify(key)}] ??= { evals: [], mods: {} })`;
  const body = (id: string, own: number, edges: { static: number[]; dynamic: number[] }) =>
    [
      ...edges.static.map((j) => `import { v as v${j}, counter as c${j}, loadAll as l${j} } from "./m${j}.ts";`),
      `export let counter = 0;`,
      `export function bump() { counter++; }`,
      `export const v = ${own} + ${edges.static.map((j) => `v${j}`).join(" + ") || "0"};`,
      `export const seen = () => [${edges.static.map((j) => `c${j}`).join(", ")}];`,
      `export async function loadAll() { for (const l of [${edges.static.map((j) => `l${j}`).join(", ")}]) await l(); for (const m of [${edges.dynamic.map((j) => `await import("./m${j}.ts")`).join(", ")}]) await m.loadAll(); }`,
      `${reg}.evals.push(${JSON.stringify(id)}); ${reg}.mods[${JSON.stringify(id)}] = { v, bump, seen };`,
    ].join("\n");
  graph.modules.forEach((edges, i) => {
    writeFileSync(join(dir, `m${i}.ts`), body(`m${i}`, 10 ** i, edges));
  });
  writeFileSync(join(dir, "entry.ts"), `${body("entry", 0, graph.entry)}\nexport const handler = () => v;\n`);
  return join(dir, "entry.ts");
}

/** What each module evaluated from the graph must hold as `v`, from the graph alone. */
function expectedValues(graph: Graph): Map<string, number> {
  const values = new Map<string, number>();
  const value = (i: number): number => 10 ** i + (graph.modules[i]?.static ?? []).reduce((s, j) => s + value(j), 0);
  const reached = new Set<number>();
  const reach = (edges: { static: number[]; dynamic: number[] }) => {
    for (const j of [...edges.static, ...edges.dynamic]) {
      if (reached.has(j)) continue;
      reached.add(j);
      reach(graph.modules[j] as { static: number[]; dynamic: number[] });
    }
  };
  reach(graph.entry);
  for (const i of reached) values.set(`m${i}`, value(i));
  values.set(
    "entry",
    graph.entry.static.reduce((s, j) => s + value(j), 0),
  );
  return values;
}

/**
 * Imports `file` in a fresh Node process (its own linker, not the test runner's), loads every
 * dynamic import, bumps each module's counter once and reports what each module saw.
 */
function evaluate(file: string, key: string): { evals: string[]; values: Record<string, number>; seen: Record<string, number[]> } {
  const script = `const m = await import(process.argv[1]); await m.loadAll();
    const r = globalThis[${JSON.stringify(key)}]; for (const mod of Object.values(r.mods)) mod.bump();
    const values = {}, seen = {}; for (const [id, mod] of Object.entries(r.mods)) { values[id] = mod.v; seen[id] = mod.seen(); }
    process.stdout.write(JSON.stringify({ evals: r.evals, values, seen }));`;
  const run = spawnSync(process.execPath, ["--input-type=module", "-e", script, file], { encoding: "utf8", timeout: 30_000 });
  expect(run.stderr).toBe("");
  return JSON.parse(run.stdout);
}

describe("merge-static-chunks", () => {
  it("uses the banner the construct puts on every bundle", () => {
    expect(SCRIPT_BANNER).toBe(ESM_REQUIRE_BANNER);
  });

  it("leaves one file for a cold start, each module evaluated once and in the split build's order, and lazy code reading the merged bindings live", async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(graphs, async (graph) => {
        const dir = tempDir();
        const key = `merge-test-${process.pid}-${run++}`;
        const built = await bundle(writeGraph(dir, graph, key), join(dir, "out"));
        expect(built.files).toEqual([built.file]);
        expect(readFileSync(built.file, "utf8").startsWith(`${ESM_REQUIRE_BANNER}\n`)).toBe(true);
        expect(readFileSync(built.file, "utf8").split(ESM_REQUIRE_BANNER)).toHaveLength(2);
        const found = evaluate(built.file, key);
        // The same modules in the same order as esbuild's split output, evaluated by Node's own linker.
        const split = await bundle(join(dir, "entry.ts"), join(dir, "split"), [], false, { merge: false });
        expect(found.evals).toEqual(evaluate(split.file, key).evals);
        const expected = expectedValues(graph);
        expect([...found.evals].sort()).toEqual([...expected.keys()].sort());
        expect(found.values).toEqual(Object.fromEntries(expected));
        for (const [id, seen] of Object.entries(found.seen))
          expect(
            seen.every((c) => c === 1),
            id,
          ).toBe(true);
      }),
      { numRuns: 25 },
    );
  }, 120_000);

  /** Two entries sharing s.ts: index (a.ts, which loads lazy.ts on demand) and other (b.ts); `exports` from the split build. */
  async function twoEntries(): Promise<{ dir: string; out: string; metafile: Metafile }> {
    const dir = tempDir();
    writeFileSync(join(dir, "s.ts"), 'export const shared = { n: 1, tag: "shared-tag" };\nexport const twice = (x: number) => 2 * x;\n');
    writeFileSync(
      join(dir, "lazy.ts"),
      'import { shared, twice } from "./s.ts";\n\nexport const lazy = () => twice(shared.n) + "lazy-tag".length * 0;\n',
    );
    writeFileSync(
      join(dir, "a.ts"),
      'import { shared } from "./s.ts";\nexport const handler = () => shared.n;\nexport const later = () => import("./lazy.ts");\n',
    );
    writeFileSync(join(dir, "b.ts"), 'import { shared } from "./s.ts";\nexport const other = () => shared.n + 1;\n');
    const out = join(dir, "out");
    const result = await build({
      entryPoints: { index: join(dir, "a.ts"), other: join(dir, "b.ts") },
      outdir: out,
      bundle: true,
      splitting: true,
      format: "esm",
      platform: "node",
      outExtension: { ".js": ".mjs" },
      chunkNames: "chunks/[name]-[hash]",
      banner: { js: ESM_REQUIRE_BANNER },
      metafile: true,
      logLevel: "silent",
      absWorkingDir: dir,
    });
    return { dir, out, metafile: result.metafile };
  }

  it("rewrites every output its metafile lists, a second entry's too", async () => {
    const { out, metafile } = await twoEntries();
    const { merged, rewritten } = await mergeStaticChunks(out, metafile);
    expect(merged.length).toBeGreaterThan(0);
    expect(rewritten).toContain("other.mjs");
    expect(staticFiles(join(out, "index.mjs"))).toEqual([join(out, "index.mjs")]);
    const script = `const index = await import(process.argv[1]); const other = await import(process.argv[2]);
      process.stdout.write(JSON.stringify([index.handler(), other.other(), (await index.later()).lazy()]));`;
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script, join(out, "index.mjs"), join(out, "other.mjs")], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.stderr).toBe("");
    expect(JSON.parse(run.stdout)).toEqual([1, 2, 2]);
  });

  it("merges an output folder reached through a symlink (macOS's temporary folder, a CDK --output) as its real path", async () => {
    const { dir, out, metafile } = await twoEntries();
    const link = join(dir, "link");
    symlinkSync(out, link);
    const { merged } = await mergeStaticChunks(link, metafile);
    expect(merged.length).toBeGreaterThan(0);
    expect(staticFiles(join(out, "index.mjs"))).toEqual([join(out, "index.mjs")]);
    const script = "const index = await import(process.argv[1]); process.stdout.write(String((await index.later()).lazy()));";
    const run = spawnSync(process.execPath, ["--input-type=module", "-e", script, join(link, "index.mjs")], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.stderr).toBe("");
    expect(run.stdout).toBe("2");
  });

  it("keeps source maps that lead from the merged index.mjs and a rewritten lazy chunk to the TypeScript sources", async () => {
    const { dir } = await twoEntries();
    const built = await bundle(join(dir, "a.ts"), join(dir, "mapped"), [], true);
    const lazyChunk = readdirSync(join(dir, "mapped", "chunks")).find((f) => f.startsWith("lazy-") && f.endsWith(".mjs"));
    const origin = (file: string, needle: string) => {
      const code = readFileSync(file, "utf8");
      const at = code.indexOf(needle);
      const lines = code.slice(0, at).split("\n");
      const map = new SourceMap(JSON.parse(readFileSync(`${file}.map`, "utf8")));
      const entry = map.findEntry(lines.length - 1, (lines.at(-1) as string).length);
      return "originalSource" in entry ? [basename(entry.originalSource), entry.originalLine + 1] : [];
    };
    expect(origin(built.file, '"shared-tag"')).toEqual(["s.ts", 1]);
    expect(origin(join(dir, "mapped", "chunks", lazyChunk as string), '"lazy-tag"')).toEqual(["lazy.ts", 3]);
  });

  it("refuses an output with a file left referring to a merged chunk, naming the file: the CLI exits 1 and deletes the metafile", async () => {
    const { dir, out, metafile } = await twoEntries();
    // other.mjs as if another build had written it: the step does not rewrite it, and its import dangles.
    const outputs = Object.fromEntries(Object.entries(metafile.outputs).filter(([path]) => !path.endsWith("other.mjs")));
    const metafilePath = join(dir, "meta.json");
    writeFileSync(metafilePath, JSON.stringify({ outputs }));
    const run = spawnSync(process.execPath, [join(import.meta.dirname, "../../scripts/merge-static-chunks.mjs"), out, metafilePath], {
      encoding: "utf8",
      timeout: 30_000,
    });
    expect(run.status).toBe(1);
    expect(run.stderr).toMatch(/other\.mjs refers to \.\/chunks\/chunk-\w+\.mjs, which is not in the output/);
    expect(existsSync(metafilePath)).toBe(false);
  });

  it("refuses a lazy chunk that imports a name the merged index.mjs does not export, naming the chunk", async () => {
    const { out, metafile } = await twoEntries();
    const outputs = Object.fromEntries(
      Object.entries(metafile.outputs).map(([path, o]) => [
        path,
        path.includes("chunks/chunk-") ? { ...o, exports: o.exports.slice(1) } : o,
      ]),
    );
    await expect(mergeStaticChunks(out, { outputs })).rejects.toThrow(/rebuilding .*(lazy-\w+|other)\.mjs failed/);
  });
});
