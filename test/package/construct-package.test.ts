/**
 * The construct as another project gets it: `npm pack` (which builds the package first, `prepack`)
 * makes the tarball a user installs; an app in a temporary folder outside the repository installs
 * it with npm, offline, its dependencies and the aws-cdk-lib / constructs peers linked to this
 * repository's node_modules, and synthesizes a WebhookDispatcher from it. That app has no esbuild
 * and no lock file of ours: the functions it deploys are the ones the package carries.
 */
import { execFile, type SpawnSyncReturns, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, realpathSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FUNCTION_ENTRIES, type FunctionEntry, prebundledFolder } from "../../lib/dispatcher-function.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const MODULES = realpathSync(join(ROOT, "node_modules"));
const work = mkdtempSync(join(tmpdir(), "hookrelay-construct-"));
const app = join(work, "app");
const installed = join(app, "node_modules", "hookrelay");

/** The dispatcher's functions and the entry point each runs (the feed function runs the API's). */
const FUNCTIONS: Record<string, FunctionEntry> = {
  apiFunction: FUNCTION_ENTRIES.api,
  feedFunction: FUNCTION_ENTRIES.api,
  deliveryFunction: FUNCTION_ENTRIES.delivery,
  deadLetterFunction: FUNCTION_ENTRIES.deadLetter,
  sweeperFunction: FUNCTION_ENTRIES.sweeper,
  pushFunction: FUNCTION_ENTRIES.push,
};

/** Every bundle the package carries: its folder under dist/lambda/, and whether it has source maps. */
const BUNDLES = [...new Set(Object.values(FUNCTION_ENTRIES))].flatMap((entry) =>
  [false, true].map((sourceMaps) => [prebundledFolder(entry, sourceMaps), sourceMaps] as const),
);

/**
 * The user's app: two stacks, with and without source maps; it prints each function's logical id
 * and a metric, then what the construct says when the package lacks one of its bundles.
 */
const APP = `import { renameSync } from "node:fs";
import { App, Stack } from "aws-cdk-lib";
import { WebhookDispatcher, type WebhookDispatcherProps } from "hookrelay";

const app = new App({ outdir: "cdk.out" });
const out: Record<string, unknown> = {};
for (const [name, props] of [["Plain", {}], ["Mapped", { sourceMaps: true }]] as [string, WebhookDispatcherProps][]) {
  const stack = new Stack(app, name);
  const dispatcher = new WebhookDispatcher(stack, "Webhooks", { alarmEmail: "ops@example.com", ...props });
  const ids: Record<string, string> = {};
  for (const fn of ${JSON.stringify(Object.keys(FUNCTIONS))} as const) ids[fn] = stack.getLogicalId(dispatcher[fn].node.defaultChild as never);
  const latency = dispatcher.metricDeliveryLatency({ statistic: "p99" });
  out[name] = { ids, latency: { namespace: latency.namespace, name: latency.metricName, statistic: latency.statistic, dimensions: latency.dimensions } };
}
app.synth();
// Then a package without one of its bundles, each in turn: the construct refuses to be made.
const refusals: Record<string, string> = {};
for (const [folder, sourceMaps] of ${JSON.stringify(BUNDLES)} as [string, boolean][]) {
  const path = "node_modules/hookrelay/dist/lambda/" + folder;
  renameSync(path, path + ".gone");
  try {
    new WebhookDispatcher(new Stack(new App(), "Missing"), "Webhooks", { sourceMaps });
    refusals[folder] = "made";
  } catch (error) {
    refusals[folder] = (error as Error).message;
  } finally {
    renameSync(path + ".gone", path);
  }
}
out.refusals = refusals;
console.log(JSON.stringify(out));
`;

/** Only for the type checker: a misspelled prop and a wrong metric option are errors. */
const TYPES = `import { App, Duration, Stack } from "aws-cdk-lib";
import type * as cloudwatch from "aws-cdk-lib/aws-cloudwatch";
import { WebhookDispatcher, WebhookDispatcherStack } from "hookrelay";

const stack = new Stack(new App(), "Types");
const dispatcher = new WebhookDispatcher(stack, "Ok", { retrySchedule: "5,60", deliveryTimeout: Duration.seconds(10) });
const failures: cloudwatch.Metric = dispatcher.metricDeliveryFailures({ period: Duration.minutes(1) });
// @ts-expect-error not a prop of the construct
new WebhookDispatcher(stack, "Typo", { retrySchedul: "5" });
// @ts-expect-error not a service of the dispatcher
dispatcher.metric("Attempts", { service: "nobody" });
new WebhookDispatcherStack(new App(), "Whole", { dispatcher: { logLevel: "WARN" } });
console.log(failures);
`;

let tarball: string;
let packed: string[];

function run(command: string, args: string[], cwd: string): SpawnSyncReturns<string> {
  return spawnSync(command, args, { cwd, encoding: "utf8" });
}

/** Resolves with the output of a command that exited 0; rejects, with the output, otherwise. */
async function runAsync(command: string, args: string[], cwd: string): Promise<{ stdout: string; stderr: string }> {
  return promisify(execFile)(command, args, { cwd, encoding: "utf8" });
}

function output(result: SpawnSyncReturns<string>): string {
  return `${result.stdout}${result.stderr}`;
}

beforeAll(() => {
  // `npm pack` runs `prepack`, which is `npm run build`: dist/ is rebuilt from the sources first.
  const pack = run("npm", ["pack", "--json", "--pack-destination", work], ROOT);
  if (pack.status !== 0) throw new Error(`npm pack failed: ${output(pack)}`);
  const [report] = JSON.parse(pack.stdout.slice(pack.stdout.indexOf("["))) as { filename: string; files: { path: string }[] }[];
  tarball = join(work, report?.filename ?? "");
  packed = report?.files.map((f) => f.path) ?? [];
  const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as Record<string, Record<string, string>>;
  // The package's dependencies and peers, linked to this repository's copies: the install reaches no registry.
  const linked = Object.keys({ ...manifest.dependencies, ...manifest.peerDependencies }).map((name) => [
    name,
    `file:${join(MODULES, name)}`,
  ]);
  mkdirSync(app);
  writeFileSync(
    join(app, "package.json"),
    JSON.stringify({
      name: "consumer",
      private: true,
      type: "module",
      dependencies: { hookrelay: `file:${tarball}`, ...Object.fromEntries(linked) },
    }),
  );
  const install = run("npm", ["install", "--offline", "--no-audit", "--no-fund", "--legacy-peer-deps", "--ignore-scripts"], app);
  if (install.status !== 0) throw new Error(`npm install failed: ${output(install)}`);
}, 240_000);

afterAll(() => rmSync(work, { recursive: true, force: true }));

describe("the hookrelay package", () => {
  it("holds compiled JavaScript, type declarations, the bin and every function bundled, and no TypeScript source", () => {
    const manifest = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as {
      exports: Record<string, { types: string; default: string }>;
      bin: Record<string, string>;
    };
    const targets = [...Object.values(manifest.exports).flatMap((e) => [e.types, e.default]), ...Object.values(manifest.bin)];
    for (const target of targets) expect(packed).toContain(target.replace(/^\.\//, ""));
    expect(packed).toContain("dist/cli/hookrelay.js");
    for (const entry of new Set(Object.values(FUNCTION_ENTRIES))) {
      expect(packed).toContain(`dist/lambda/${prebundledFolder(entry, false)}/index.mjs`);
      expect(packed).not.toContain(`dist/lambda/${prebundledFolder(entry, false)}/index.mjs.map`);
      expect(packed).toContain(`dist/lambda/${prebundledFolder(entry, true)}/index.mjs.map`);
    }
    // Node strips no types under node_modules: every script the package runs is JavaScript.
    expect(packed.filter((path) => path.endsWith(".ts") && !path.endsWith(".d.ts"))).toEqual([]);
    expect(packed.filter((path) => !/^(bin\/|dist\/|README\.md$|package\.json$|LICENSE)/.test(path))).toEqual([]);
  });

  // The synthesis and the type check each load aws-cdk-lib: they run side by side.
  it.concurrent("installs offline into an app outside the repository, which synthesizes the construct with the functions the package carries", async () => {
    // Nothing in the app could bundle at synthesis.
    expect(existsSync(join(app, "node_modules", "esbuild"))).toBe(false);
    expect(existsSync(join(installed, "functions"))).toBe(false);

    writeFileSync(join(app, "main.ts"), APP);
    const synth = await runAsync(process.execPath, ["main.ts"], app);
    expect(synth.stderr).toBe("");
    const printed = JSON.parse(synth.stdout) as Record<string, { ids: Record<string, string>; latency: unknown }> & {
      refusals: Record<string, string>;
    };
    for (const [folder] of BUNDLES) {
      expect(printed.refusals[folder], folder).toContain(`dist/lambda/${folder}/index.mjs is missing`);
      expect(printed.refusals[folder], folder).toContain("npm run build");
    }
    for (const [stack, sourceMaps] of [
      ["Plain", false],
      ["Mapped", true],
    ] as const) {
      const template = JSON.parse(readFileSync(join(app, "cdk.out", `${stack}.template.json`), "utf8")) as {
        Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
      };
      const functions = Object.entries(template.Resources).filter(([, r]) => r.Type === "AWS::Lambda::Function");
      const ids = printed[stack]?.ids ?? {};
      expect(functions.map(([id]) => id).sort()).toEqual(Object.values(ids).sort());
      for (const [name, entry] of Object.entries(FUNCTIONS)) {
        const props = template.Resources[ids[name] ?? ""]?.Properties ?? {};
        expect(props.Handler, name).toBe("index.handler");
        const hash = String((props.Code as { S3Key: string }).S3Key).replace(/\.zip$/, "");
        const asset = join(app, "cdk.out", `asset.${hash}`);
        const bundle = join(installed, "dist", "lambda", prebundledFolder(entry, sourceMaps));
        // The asset is the package's bundle of that function's entry point, as `npm run build` made it.
        const code = readFileSync(join(asset, "index.mjs"), "utf8");
        expect(code, name).toBe(readFileSync(join(bundle, "index.mjs"), "utf8"));
        expect(code, name).toMatch(/export\s*\{[^}]*\bhandler\b/);
        expect(existsSync(join(asset, "index.mjs.map")), name).toBe(sourceMaps);
        const variables = (props.Environment as { Variables: Record<string, unknown> }).Variables;
        expect(variables.NODE_OPTIONS, name).toBe(sourceMaps ? "--enable-source-maps" : undefined);
      }
      expect(printed[stack]?.latency).toEqual({
        namespace: "Hookrelay",
        name: "DeliveryLatency",
        statistic: "p99",
        dimensions: { service: "delivery" },
      });
    }
  }, 120_000);

  it.concurrent("gives the app the construct's types: its props and metric options are checked", async () => {
    writeFileSync(join(app, "types.ts"), TYPES);
    writeFileSync(
      join(app, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2024",
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: [],
        },
        files: ["types.ts"],
      }),
    );
    const typecheck = await runAsync(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."], app);
    expect(`${typecheck.stdout}${typecheck.stderr}`).toBe("");
  }, 120_000);

  it("installs the hookrelay command, which runs as compiled JavaScript from node_modules", () => {
    const help = run(process.execPath, [join(app, "node_modules", ".bin", "hookrelay"), "listen", "--help"], app);
    expect(help.stderr).toBe("");
    expect(help.status).toBe(0);
    expect(help.stdout).toContain("--forward-to");
  });
});
