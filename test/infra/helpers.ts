/** Shared helpers of the infrastructure tests: synthesis, policy statements, acknowledgments. */
import { existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { App, type CfnElement, type Environment, Stack, Validations } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import type { IFunction } from "aws-cdk-lib/aws-lambda";
import { AwsSolutionsChecks } from "cdk-nag";
import type { IConstruct } from "constructs";
import { WebhookDispatcher, type WebhookDispatcherProps } from "../../lib/webhook-dispatcher.ts";

/** An App with the context (feature flags) cdk.json gives `npx cdk synth`, so tests see the same template. */
export function newApp(): App {
  const cdkJson = JSON.parse(readFileSync(join(import.meta.dirname, "..", "..", "cdk.json"), "utf8")) as {
    context: Record<string, unknown>;
  };
  return new App({ context: cdkJson.context });
}

/**
 * A stack ("Deploy", account 111111111111 in us-east-1 unless `env` says otherwise; `env: null` for
 * an environment-agnostic stack) holding the construct ("Webhooks"), synthesized without bundling
 * the functions: for tests that read settings, not code. `build` adds props that need the stack.
 */
export function synthDispatcher(
  props: WebhookDispatcherProps = {},
  options: { build?: (stack: Stack) => WebhookDispatcherProps; env?: Environment | null } = {},
) {
  const app = newApp();
  app.node.setContext("aws:cdk:bundling-stacks", []);
  const env = options.env === null ? undefined : (options.env ?? { account: "111111111111", region: "us-east-1" });
  const stack = new Stack(app, "Deploy", { env });
  const dispatcher = new WebhookDispatcher(stack, "Webhooks", { ...props, ...options.build?.(stack) });
  const template = Template.fromStack(stack);
  return { app, stack, dispatcher, template };
}

/** Generous: NodejsFunction bundles three functions with esbuild while the stack is built. */
export const SYNTH_TIMEOUT_MS = 120_000;

export type Json = Record<string, unknown>;
export interface Resource {
  Type: string;
  Properties?: Json;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}
export interface Statement {
  Effect: "Allow" | "Deny";
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: unknown;
  Principal?: unknown;
  Sid?: string;
}

/** The logical id of a construct's CloudFormation resource. */
export function logicalId(stack: Stack, construct: IConstruct): string {
  return stack.getLogicalId(construct.node.defaultChild as CfnElement);
}

/** The synthesized properties of a function. */
export function functionProps(template: Template, stack: Stack, fn: IFunction): Json {
  const resource = template.toJSON().Resources[logicalId(stack, fn)] as Resource;
  return resource.Properties ?? {};
}

/** The function's environment variables, as synthesized (values may be intrinsic functions). */
export function functionEnv(template: Template, stack: Stack, fn: IFunction): Record<string, unknown> {
  const env = functionProps(template, stack, fn).Environment as { Variables: Record<string, unknown> };
  return env.Variables;
}

/** Resources of one type, by logical id. */
export function resourcesOfType(template: Template, type: string): Record<string, Resource> {
  return template.findResources(type) as Record<string, Resource>;
}

function toList<T>(value: T | T[] | undefined): T[] {
  if (value === undefined) return [];
  return Array.isArray(value) ? value : [value];
}

/** Every policy statement of the template: IAM policies, inline role policies, queue, topic and key policies. */
export function allStatements(template: Template): { owner: string; statement: Statement }[] {
  const out: { owner: string; statement: Statement }[] = [];
  const documents: [string, unknown][] = [];
  for (const [id, r] of Object.entries(template.toJSON().Resources as Record<string, Resource>)) {
    const p = r.Properties ?? {};
    if (p.PolicyDocument) documents.push([id, p.PolicyDocument]);
    if (p.KeyPolicy) documents.push([id, p.KeyPolicy]);
    if (p.AssumeRolePolicyDocument) documents.push([`${id} (trust)`, p.AssumeRolePolicyDocument]);
    for (const inline of toList(p.Policies as { PolicyDocument: unknown }[] | undefined)) documents.push([id, inline.PolicyDocument]);
  }
  for (const [owner, doc] of documents) {
    for (const statement of toList((doc as { Statement?: Statement | Statement[] }).Statement)) out.push({ owner, statement });
  }
  return out;
}

/** The actions of a statement as a flat list. */
export function actionsOf(statement: Statement): string[] {
  return [...toList(statement.Action), ...toList(statement.NotAction)];
}

/** All Allow actions granted to a role by its attached policies. */
export function roleActions(template: Template, roleLogicalId: string): string[] {
  const actions: string[] = [];
  for (const r of Object.values(resourcesOfType(template, "AWS::IAM::Policy"))) {
    const roles = (r.Properties?.Roles as { Ref: string }[]) ?? [];
    if (!roles.some((role) => role.Ref === roleLogicalId)) continue;
    for (const s of toList((r.Properties?.PolicyDocument as { Statement: Statement[] }).Statement)) {
      if (s.Effect === "Allow") actions.push(...actionsOf(s));
    }
  }
  return [...new Set(actions)].sort();
}

/** The directory of a function's bundled code asset inside the app's output. */
export function assetDir(app: App, template: Template, stack: Stack, fn: IFunction): string {
  const code = functionProps(template, stack, fn).Code as { S3Key: string };
  const hash = code.S3Key.replace(/\.zip$/, "");
  const dir = join(app.outdir, `asset.${hash}`);
  if (!existsSync(dir)) throw new Error(`no asset directory ${dir}`);
  return dir;
}

/** Reads a file of a function's bundle. */
export function bundleFile(app: App, template: Template, stack: Stack, fn: IFunction, file: string): string {
  return readFileSync(join(assetDir(app, template, stack, fn), file), "utf8");
}

/**
 * The code a cold start of the function loads: index.mjs and every chunk it reaches through static
 * imports (dynamic `import()`s are left out: they load on first use), by file relative to the asset.
 */
export function coldStartFiles(app: App, template: Template, stack: Stack, fn: IFunction): Map<string, string> {
  const dir = assetDir(app, template, stack, fn);
  const files = new Map<string, string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    const code = readFileSync(join(dir, file), "utf8");
    files.set(file, code);
    for (const [, spec] of code.matchAll(/(?:from|import)\s*"(\.\.?\/[^"]+)"/g)) visit(join(dirname(file), spec as string));
  };
  visit("index.mjs");
  return files;
}

/** Every acknowledgment recorded under `scope`: construct path, rule id and reason. */
export function acknowledgments(scope: IConstruct): { path: string; id: string; reason: string }[] {
  const out: { path: string; id: string; reason: string }[] = [];
  for (const construct of scope.node.findAll()) {
    for (const entry of construct.node.metadata) {
      if (entry.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY) continue;
      for (const [id, reason] of Object.entries(entry.data as Record<string, string>)) {
        out.push({ path: construct.node.path, id: id.replace(/^annotation::/i, ""), reason });
      }
    }
  }
  return out;
}

/** cdk-nag's AwsSolutions findings under `scope`, as "rule at path" strings. */
export function nagFindings(scope: IConstruct, options: { ignoreAcknowledgments?: boolean } = {}): string[] {
  const checks = new AwsSolutionsChecks(scope);
  // Ignoring acknowledgments shows what each one hides, so none of them can go stale.
  if (options.ignoreAcknowledgments) (checks as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
  const report = checks.validateScope(scope);
  return report.violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath} (${v.severity})`));
}

/** A template's condition (Fn::Or, Fn::And, Fn::Not, Fn::Equals, Condition, Ref of a pseudo parameter) evaluated with `pseudo`. */
export function evaluateCondition(template: Template, name: string, pseudo: Record<string, string>): boolean {
  const conditions = (template.toJSON().Conditions ?? {}) as Record<string, unknown>;
  const value = (node: unknown): unknown => {
    if (typeof node === "string") return node;
    const [[fn, arg]] = Object.entries(node as Record<string, unknown>) as [[string, unknown]];
    if (fn === "Ref") {
      if (!((arg as string) in pseudo)) throw new Error(`no value for ${String(arg)}`);
      return pseudo[arg as string];
    }
    const args = arg as unknown[];
    if (fn === "Fn::Equals") return value(args[0]) === value(args[1]);
    if (fn === "Fn::Or") return args.some((a) => value(a) === true);
    if (fn === "Fn::And") return args.every((a) => value(a) === true);
    if (fn === "Fn::Not") return value(args[0]) !== true;
    if (fn === "Condition") return value(conditions[arg as string]);
    throw new Error(`cannot evaluate ${fn}`);
  };
  if (!(name in conditions)) throw new Error(`no condition ${name}`);
  return value(conditions[name]) === true;
}

/**
 * A function's environment as CloudFormation would deploy it in `partition`: each condition's branch
 * taken, and any other reference stood in for by a non-empty string (CloudFormation fills those in).
 */
export function deployedEnv(template: Template, env: Record<string, unknown>, partition = "aws"): Record<string, string> {
  const resolve = (key: string, v: unknown): string => {
    if (typeof v === "string") return v;
    const branches = (v as { "Fn::If"?: [string, unknown, unknown] })["Fn::If"];
    if (branches) {
      const [condition, yes, no] = branches;
      return resolve(key, evaluateCondition(template, condition, { "AWS::Partition": partition }) ? yes : no);
    }
    return `resolved-${key}`;
  };
  return Object.fromEntries(Object.entries(env).map(([k, v]) => [k, resolve(k, v)]));
}
