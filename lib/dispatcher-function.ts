/**
 * One Lambda function of the dispatcher: a NodejsFunction bundled by esbuild into a minified ESM
 * file (a source map on request), running on arm64 / nodejs24.x, with its own log group and a role
 * that holds no AWS managed policy. Run from the sources (this repository) it bundles at synthesis,
 * with the repository's esbuild (never Docker); run compiled, from an installed package, it deploys
 * the bundles `npm run build` made with the same esbuild arguments, so an app that installs the
 * construct needs neither esbuild nor this repository's lock file.
 */
import { existsSync } from "node:fs";
import { basename, dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Duration, type RemovalPolicy } from "aws-cdk-lib";
import * as iam from "aws-cdk-lib/aws-iam";
import * as lambda from "aws-cdk-lib/aws-lambda";
import { NodejsFunction, type NodejsFunctionProps, OutputFormat } from "aws-cdk-lib/aws-lambda-nodejs";
import * as logs from "aws-cdk-lib/aws-logs";
import { Construct } from "constructs";

/** This module runs compiled, from the package's dist/lib/, rather than from lib/ in the repository. */
const COMPILED = import.meta.url.endsWith(".js");

/** The repository (or installed package) root: the functions, the lock file and the local esbuild live under it. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), COMPILED ? "../.." : "..");

/** Where `npm run build` puts the bundled functions, one folder per entry point and source-map choice. */
export const PREBUNDLED_ROOT = join(PROJECT_ROOT, "dist", "lambda");

/** The functions' entry points, relative to the root; each exports `handler`. The feed function runs the API's. */
export const FUNCTION_ENTRIES = {
  api: "functions/api/index.ts",
  delivery: "functions/delivery/index.ts",
  deadLetter: "functions/dead-letter/index.ts",
  sweeper: "functions/sweeper/index.ts",
  push: "functions/push/index.ts",
} as const;

/** One of FUNCTION_ENTRIES. */
export type FunctionEntry = (typeof FUNCTION_ENTRIES)[keyof typeof FUNCTION_ENTRIES];

/**
 * The folder under PREBUNDLED_ROOT of an entry's bundle: `without-source-maps/api` for
 * functions/api/index.ts. (A dot in the name would become part of the staged asset's name.)
 */
export function prebundledFolder(entry: FunctionEntry, sourceMaps: boolean): string {
  return `${sourceMaps ? "with" : "without"}-source-maps/${basename(dirname(entry))}`;
}

/** nodejs24.x; built by name when an older aws-cdk-lib lacks the enum member. */
export const NODEJS_24: lambda.Runtime =
  (lambda.Runtime as unknown as Record<string, lambda.Runtime | undefined>).NODEJS_24_X ??
  new lambda.Runtime("nodejs24.x", lambda.RuntimeFamily.NODEJS);

/**
 * Defines `require` inside the ESM bundle: some bundled CommonJS dependencies call it for Node
 * built-ins, which an ES module does not provide. The alias avoids clashing with bundled names.
 */
export const ESM_REQUIRE_BANNER =
  'import { createRequire as __hookrelayCreateRequire } from "node:module"; const require = __hookrelayCreateRequire(import.meta.url);';

/** Options of one dispatcher function. */
export interface DispatcherFunctionOptions {
  /** Entry file, relative to the repository root, that exports `handler`. */
  readonly entry: FunctionEntry;
  readonly description: string;
  readonly memorySize: number;
  readonly timeout: Duration;
  readonly environment: Record<string, string>;
  /** Retention of the function's log group. */
  readonly logRetention: logs.RetentionDays;
  /** Applied to the log group. */
  readonly removalPolicy: RemovalPolicy;
  /** The functions' LOG_LEVEL; Lambda's own filter is set from it by lambdaLogLevel(). */
  readonly logLevel: "DEBUG" | "INFO" | "WARN" | "ERROR";
  /** Bundle a source map and run with --enable-source-maps (readable stack traces, slower cold start). */
  readonly sourceMaps: boolean;
  readonly tracing: lambda.Tracing;
  /** @default - none */
  readonly reservedConcurrentExecutions?: number;
}

/** A NodejsFunction with its log group and its own scoped role. */
export class DispatcherFunction extends Construct {
  public readonly function: NodejsFunction;
  public readonly role: iam.Role;
  public readonly logGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, options: DispatcherFunctionOptions) {
    super(scope, id);
    this.logGroup = new logs.LogGroup(this, "Logs", {
      retention: options.logRetention,
      removalPolicy: options.removalPolicy,
    });
    // A role of our own instead of AWSLambdaBasicExecutionRole: it may write to this log group only.
    this.role = new iam.Role(this, "Role", {
      assumedBy: new iam.ServicePrincipal("lambda.amazonaws.com"),
      description: `Runs the ${id} function of the webhook dispatcher`,
    });
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        sid: "WriteOwnLogs",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [this.logGroup.logGroupArn],
      }),
    );
    this.function = new NodejsFunction(this, "Function", {
      ...(COMPILED ? { code: prebundledCode(options.entry, options.sourceMaps), handler: "index.handler" } : synthesisBundling(options)),
      description: options.description,
      runtime: NODEJS_24,
      architecture: lambda.Architecture.ARM_64,
      memorySize: options.memorySize,
      timeout: options.timeout,
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel[lambdaLogLevel(options.logLevel)],
      // WARN drops the platform's START/END/REPORT lines (about 450 bytes per invocation, which at
      // $0.50 per GB cost more than the delivery function's own output); duration, errors and
      // throttles stay in the Lambda metrics, and application logs keep LOG_LEVEL.
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: options.tracing,
      reservedConcurrentExecutions: options.reservedConcurrentExecutions,
      environment: { ...(options.sourceMaps && { NODE_OPTIONS: "--enable-source-maps" }), ...options.environment },
    });
  }
}

/** The label of the statements esbuild drops from every bundle: the routes' API-document entries (`DOC: return {...}`). */
export const DOC_LABEL = "DOC";

/** NodejsFunction's own bundling at synthesis, from the repository's sources, lock file and esbuild. */
function synthesisBundling(options: DispatcherFunctionOptions): NodejsFunctionProps {
  return {
    entry: join(PROJECT_ROOT, options.entry),
    handler: "handler",
    projectRoot: PROJECT_ROOT,
    depsLockFilePath: join(PROJECT_ROOT, "package-lock.json"),
    bundling: {
      format: OutputFormat.ESM,
      minify: true,
      sourceMap: options.sourceMaps,
      target: "node24",
      mainFields: ["module", "main"],
      banner: ESM_REQUIRE_BANNER,
      // The SDK is bundled so that the deployed clients are the versions the tests ran against.
      bundleAwsSDK: true,
      forceDockerBundling: false,
      // Lambda gives the role's credentials in the environment: the SDK's whole default chain
      // (about 130 KB of every bundle) is replaced by the environment provider alone.
      // A route's API-document entry (functions/api/route.ts) is read only by the document's builder, never in Lambda.
      esbuildArgs: { [`--alias:${DEFAULT_CREDENTIALS_MODULE}`]: LAMBDA_CREDENTIALS_MODULE, "--drop-labels": DOC_LABEL },
      commandHooks: {
        beforeBundling: () => [],
        beforeInstall: () => [],
        afterBundling: (_input, output) => [
          splitBundleCommand(options.entry, output, options.sourceMaps),
          esbuildCommand(destinationsBundleArgs(output, options.sourceMaps)),
          // Last: its link check reads every file in the folder, aws-destinations.mjs included.
          mergeStaticChunksCommand(output, options.sourceMaps),
        ],
      },
    },
  };
}

/** The bundle `npm run build` made for the entry; refused, naming the folder, when the package was packed without it. */
function prebundledCode(entry: FunctionEntry, sourceMaps: boolean): lambda.Code {
  const folder = join(PREBUNDLED_ROOT, prebundledFolder(entry, sourceMaps));
  if (!existsSync(join(folder, "index.mjs"))) {
    throw new Error(`hookrelay: the bundled function ${folder}/index.mjs is missing; the package was packed without \`npm run build\``);
  }
  return lambda.Code.fromAsset(folder);
}

/**
 * The same esbuild bundle again, split: each dynamic `import()` (the JSON Schema validator, the
 * console's pages, the API document, the SDK's own lazy modules) becomes a chunk of its own under
 * chunks/, read only when first imported, instead of part of the index.mjs that every cold start
 * parses. NodejsFunction always bundles to one `--outfile`, which esbuild cannot split, so this
 * rebuild, with the options above plus `--splitting`, replaces its index.mjs. esbuild also puts the
 * code shared by the static graph and a dynamic import in chunks that index.mjs imports at once (20
 * files beside index.mjs for the API); mergeStaticChunksCommand then folds those back into index.mjs,
 * so a cold start reads one file (each ES module costs Node about 0.34 ms; docs/performance.md).
 */
export function splitBundleCommand(entry: string, outputDir: string, sourceMaps: boolean): string {
  return esbuildCommand(splitBundleArgs(entry, outputDir, sourceMaps));
}

/** The split build's metafile: beside the output folder, never in it (the merge step reads it, then deletes it). */
export function splitMetafile(outputDir: string): string {
  return `${outputDir}.split-metafile.json`;
}

/** The merge step's script (plain JavaScript, run by the `node` on the PATH, as esbuild is by npx). */
export const MERGE_STATIC_CHUNKS_SCRIPT = join(PROJECT_ROOT, "scripts", "merge-static-chunks.mjs");

/** scripts/merge-static-chunks.mjs on the split build in `outputDir`: index.mjs absorbs the chunks it imports statically. */
export function mergeStaticChunksCommand(outputDir: string, sourceMaps: boolean): string {
  return ["node", MERGE_STATIC_CHUNKS_SCRIPT, outputDir, splitMetafile(outputDir), ...(sourceMaps ? ["--sourcemap"] : [])]
    .map(quote)
    .join(" ");
}

/** esbuild with `args`, run from the project root, as NodejsFunction runs its own esbuild; every argument single-quoted. */
function esbuildCommand(args: string[]): string {
  return ["npx", "--no-install", "esbuild", ...args].map(quote).join(" ");
}

/** One shell word, single-quoted. */
function quote(arg: string): string {
  return `'${arg.replace(/'/g, "'\\''")}'`;
}

/** The AWS destinations' SDK calls, a file of their own beside index.mjs (functions/adapters/aws-destinations/load-sdk-calls.ts). */
export const DESTINATIONS_ENTRY = "functions/adapters/aws-destinations/sdk-calls.ts";

/**
 * esbuild's arguments for aws-destinations.mjs: built apart from the split bundle, with its own copy
 * of the SDK's core, so that the protocols its clients use (query, JSON 1.1, REST XML) add nothing to
 * the files a cold start loads. It loads on the first destination delivery or roleArn check.
 */
export function destinationsBundleArgs(outputDir: string, sourceMaps: boolean): string[] {
  const split = splitBundleArgs(DESTINATIONS_ENTRY, outputDir, sourceMaps);
  const kept = split.filter(
    (a) =>
      a !== "--splitting" &&
      !a.startsWith("--outdir=") &&
      !a.startsWith("--entry-names=") &&
      !a.startsWith("--chunk-names=") &&
      !a.startsWith("--out-extension") &&
      !a.startsWith("--metafile="),
  );
  return [...kept, `--outfile=${outputDir}/aws-destinations.mjs`];
}

/** esbuild's arguments for the split bundle of `entry` into `outputDir`, run from the project root: at synthesis and by `npm run build`. */
export function splitBundleArgs(entry: string, outputDir: string, sourceMaps: boolean): string[] {
  return [
    "--bundle",
    entry,
    "--splitting",
    `--outdir=${outputDir}`,
    "--entry-names=index",
    "--chunk-names=chunks/[name]-[hash]",
    "--out-extension:.js=.mjs",
    "--format=esm",
    "--platform=node",
    "--target=node24",
    "--minify",
    "--main-fields=module,main",
    `--drop-labels=${DOC_LABEL}`,
    `--banner:js=${ESM_REQUIRE_BANNER}`,
    `--alias:${DEFAULT_CREDENTIALS_MODULE}=${LAMBDA_CREDENTIALS_MODULE}`,
    ...(sourceMaps ? ["--sourcemap"] : []),
    `--metafile=${splitMetafile(outputDir)}`,
    "--log-level=warning",
  ];
}

/**
 * The level Lambda's log filter lets through, given the functions' LOG_LEVEL. Lambda files a JSON
 * line without a `level` key, as every EMF metric line is, under INFO: a filter at WARN or ERROR
 * would drop the metrics and silence the failure-rate alarm. So Lambda filters at INFO at most and
 * the functions' logger applies WARN or ERROR itself.
 */
export function lambdaLogLevel(logLevel: "DEBUG" | "INFO" | "WARN" | "ERROR"): "DEBUG" | "INFO" {
  return logLevel === "DEBUG" ? "DEBUG" : "INFO";
}

/**
 * Source maps are off unless asked for: `npm run bench` (stage 4) measured --enable-source-maps with
 * the bundles' maps adding about a third to a function's cold import time, on every cold start,
 * for readable stack traces in the rare unexpected error.
 */
export const DEFAULT_SOURCE_MAPS = false;

/** The SDK's default credential chain, and what the bundles use instead. */
export const DEFAULT_CREDENTIALS_MODULE = "@aws-sdk/credential-provider-node";
export const LAMBDA_CREDENTIALS_MODULE = "./functions/adapters/lambda/lambda-credentials.ts";

/** Timeout of the API function: well inside API Gateway's 30 s integration limit. */
export const API_FUNCTION_TIMEOUT = Duration.seconds(10);
/** Timeout of the dead-letter consumer: a batch of DynamoDB writes. */
export const DEAD_LETTER_FUNCTION_TIMEOUT = Duration.seconds(30);

/**
 * Makes each writer's function resource depend on each reader's, so a `cdk deploy` updates the
 * readers' code first. Needed when writers start putting a field in queue messages or feed entries
 * that older readers would drop: intake's `messageId` (the webhook-id) on each queue message, which
 * the delivery, dead-letter and sweeper functions send; during a deploy that updated the API first,
 * old workers would send the event id instead and break receivers' dedupe. Only the functions are
 * ordered (not their roles or event sources), and readers never reference a writer, so no cycle.
 */
export function updateReadersFirst(writers: lambda.IFunction[], readers: lambda.IFunction[]): void {
  for (const writer of writers) {
    const resource = writer.node.defaultChild as lambda.CfnFunction;
    for (const reader of readers) resource.addResourceDependency(reader.node.defaultChild as lambda.CfnFunction);
  }
}
