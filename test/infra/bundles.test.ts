/**
 * What the functions' bundles hold and do: the one infra file that bundles (esbuild, then the split
 * rebuild of lib/dispatcher-function.ts and the merge of its static chunks), once, for the stack `cdk deploy` ships.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { App } from "aws-cdk-lib";
import type { Template } from "aws-cdk-lib/assertions";
import type { NodejsFunction } from "aws-cdk-lib/aws-lambda-nodejs";
import { beforeAll, describe, expect, it } from "vitest";
import { COLD_START_TARGETS } from "../../bench/stages/cold-start.ts";
import { lambdaEnvironment } from "../../bench/support/lambda-env.ts";
import { ESM_REQUIRE_BANNER } from "../../lib/dispatcher-function.ts";
import type { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import { assetDir, bundleFile, coldStartFiles, SYNTH_TIMEOUT_MS } from "./helpers.ts";
import { deployedStack, functionsOf } from "./synthesized.ts";

let app: App;
let stack: WebhookDispatcherStack;
let template: Template;
let fns: { name: string; fn: NodejsFunction }[];

beforeAll(() => {
  ({ app, stack, template } = deployedStack({ bundle: true }));
  fns = functionsOf(stack);
}, SYNTH_TIMEOUT_MS);

describe("functions", () => {
  it("are bundled by esbuild into minified ES modules with a require shim and, by default, no source map", () => {
    for (const { fn } of fns) {
      const files = coldStartFiles(app, template, stack, fn);
      const code = [...files.values()].join("\n");
      expect(bundleFile(app, template, stack, fn, "index.mjs").startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      for (const chunk of files.values()) expect(chunk.startsWith(ESM_REQUIRE_BANNER)).toBe(true);
      expect(bundleFile(app, template, stack, fn, "index.mjs")).toMatch(/export\s*\{[^}]*\bhandler\b/);
      expect(code).not.toContain("sourceMappingURL");
      expect(existsSync(join(assetDir(app, template, stack, fn), "index.mjs.map"))).toBe(false);
      // Minified: a few very long lines, not one statement per line.
      expect(code.split("\n").length).toBeLessThan(200);
      // Credentials come from the environment only: none of the default chain's providers is bundled.
      // Each provider names itself in a debug string that minification keeps.
      expect(code).toContain("@aws-sdk/credential-provider-env - fromEnv");
      expect(code.match(/@aws-sdk\/credential-provider-(ini|sso|process|web-identity|http) - \w+/g) ?? []).toEqual([]);
      // What a cold start loads: index.mjs and its static chunks. Dynamic imports are chunks loaded on first use.
      expect([...files.values()].reduce((sum, c) => sum + Buffer.byteLength(c), 0)).toBeLessThan(COLD_START_TARGETS.kb * 1024);
    }
  });

  it("load one file at a cold start: the chunks index.mjs imported statically are merged into it (scripts/merge-static-chunks.mjs)", () => {
    for (const { name, fn } of fns) {
      expect([...coldStartFiles(app, template, stack, fn).keys()], name).toEqual(["index.mjs"]);
      const dir = assetDir(app, template, stack, fn);
      // The split build's metafile is read and deleted, never shipped.
      expect(
        readdirSync(dir).filter((f) => f.endsWith(".json")),
        name,
      ).toEqual([]);
    }
  });

  it("link and evaluate, every file of every asset, in a fresh Node process with Lambda's environment (a lazy chunk imports index.mjs)", () => {
    // Each chunk imported before index.mjs, as a lazy call's chunk would be if it were wrongly rewritten: it fails here, not in AWS.
    const probe = `const failed = [];
      for (const file of process.argv.slice(1)) { try { await import(file); } catch (e) { failed.push(file + ": " + e.message); } }
      process.stdout.write(JSON.stringify(failed));`;
    for (const { name, fn } of fns) {
      const dir = assetDir(app, template, stack, fn);
      const files = readdirSync(dir, { recursive: true, encoding: "utf8" })
        .filter((f) => f.endsWith(".mjs"))
        .sort((a, b) => Number(a === "index.mjs") - Number(b === "index.mjs") || a.localeCompare(b))
        .map((f) => join(dir, f));
      expect(files.length, name).toBeGreaterThan(1);
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", probe, ...files], {
        env: lambdaEnvironment(),
        encoding: "utf8",
        timeout: 60_000,
      });
      expect(run.stderr, name).toBe("");
      expect(JSON.parse(run.stdout), name).toEqual([]);
    }
  }, 120_000);

  it("keep the JSON Schema validator out of what the API function's cold start loads", () => {
    const api = fns.find((f) => f.name === "api")?.fn as NodejsFunction;
    const chunks = readdirSync(join(assetDir(app, template, stack, api), "chunks"));
    const engine = chunks.find((c) => c.startsWith("json-schema-engine-"));
    expect(engine).toBeDefined();
    expect([...coldStartFiles(app, template, stack, api).keys()]).not.toContain(`chunks/${engine}`);
  });

  it("keep the address parser (ipaddr.js) out of every cold start but the delivery worker's, which checks each POST", () => {
    // ipaddr.js names itself in its errors, which minification keeps.
    const loads = (name: string) => {
      const fn = fns.find((f) => f.name === name)?.fn as NodejsFunction;
      return [...coldStartFiles(app, template, stack, fn).values()].some((code) => code.includes("ipaddr: "));
    };
    expect(loads("delivery")).toBe(true);
    for (const { name } of fns.filter((f) => f.name !== "delivery")) expect(loads(name), name).toBe(false);
  });

  it("keep the AWS destinations' SDK calls in aws-destinations.mjs, outside what a cold start loads, and loadable", () => {
    for (const name of ["api", "delivery"]) {
      const fn = fns.find((f) => f.name === name)?.fn as NodejsFunction;
      const file = join(assetDir(app, template, stack, fn), "aws-destinations.mjs");
      expect(existsSync(file)).toBe(true);
      const coldStart = [...coldStartFiles(app, template, stack, fn).values()].join("\n");
      // The target prefixes of Kinesis's and EventBridge's JSON APIs name those clients.
      for (const client of ["Kinesis_20131202", "AWSEvents"]) {
        expect(coldStart).not.toContain(client);
        expect(readFileSync(file, "utf8")).toContain(client);
      }
      const probe =
        "const m = await import(process.argv[1]); if (typeof m.putterFor !== 'function' || typeof m.assumeRoleCall !== 'function') process.exit(3);";
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", probe, file], { encoding: "utf8", timeout: 30_000 });
      expect(run.status, run.stderr).toBe(0);
    }
  });

  it("leave the routes' API-document entries out of the API function (esbuild drops the DOC labels)", () => {
    const api = fns.find((f) => f.name === "api")?.fn as NodejsFunction;
    const code = [...coldStartFiles(app, template, stack, api).values()].join("\n");
    // A route's path is routing, its summary documentation (functions/api/endpoint-routes.ts).
    expect(code).toContain("/v1/endpoints/{id}/secret/rotate");
    expect(code).not.toContain("Rotate the signing secret");
  });

  it("load as ES modules on Node 24 and export handler (the createRequire banner works)", () => {
    const env = {
      PATH: process.env.PATH,
      AWS_REGION: "us-east-1",
      TABLE_NAME: "t",
      DELIVERY_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/d",
      SLOW_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/s",
      DEAD_LETTER_QUEUE_URL: "https://sqs.us-east-1.amazonaws.com/123456789012/dl",
      ADMIN_API_KEY_SECRET_ARN: "arn:aws:secretsmanager:us-east-1:123456789012:secret:k",
    };
    for (const { fn } of fns) {
      const file = join(assetDir(app, template, stack, fn), "index.mjs");
      const probe = "const m = await import(process.argv[1]); if (typeof m.handler !== 'function') process.exit(3);";
      const run = spawnSync(process.execPath, ["--input-type=module", "-e", probe, file], { env, encoding: "utf8", timeout: 30_000 });
      expect(run.stderr).toBe("");
      expect(run.status).toBe(0);
    }
  }, 60_000);
});
