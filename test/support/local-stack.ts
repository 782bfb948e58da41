import { type ChildProcess, spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { type Message, ReceiveMessageCommand, SQSClient } from "@aws-sdk/client-sqs";
import type { Exchange } from "./contract.ts";

const MAIN = fileURLToPath(new URL("../../local/main.ts", import.meta.url));
const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** A process that `startProcess` started, with what it printed so far. */
export interface StartedProcess {
  child: ChildProcess;
  /** stdout and stderr together, in arrival order. */
  output: () => string;
  stderr: () => string;
  /** Resolves with the exit code (null if a signal ended it). */
  exited: Promise<number | null>;
  /** Resolves with the exit code once its stdout and stderr are read to the end too: what a failed start wrote. */
  closed: Promise<number | null>;
}

/**
 * Runs the local stack's entry point with `args` and `env` (over this process's environment): as
 * `npm start -- args` from the project root when `npm` is set, exactly as a user types it, or else
 * as `node local/main.ts args`.
 */
export function startProcess(options: { args: string[]; env?: Record<string, string>; npm?: boolean }): StartedProcess {
  const [command, args] = options.npm ? ["npm", ["start", "--", ...options.args]] : [process.execPath, [MAIN, ...options.args]];
  const child = spawn(command, args, { cwd: ROOT, env: { ...process.env, ...options.env }, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  let stderr = "";
  child.stdout?.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    output += d.toString();
    stderr += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  // "exit" can come before the last of stderr: "close" comes after both streams ended.
  const closed = new Promise<number | null>((resolve) => child.once("close", (code) => resolve(code)));
  return { child, output: () => output, stderr: () => stderr, exited, closed };
}

export interface RunningStack {
  apiUrl: string;
  /** The WebSocket push URL (ws://127.0.0.1:…). */
  websocketUrl: string;
  sqsUrl: string;
  dynamoUrl: string;
  /** Every URL the stack listens on: its API, emulators and proxies. */
  listening: string[];
  /** The PID of the node process that runs the stack (under npm, not npm's). */
  pid: number;
  deliveryQueueUrl: string;
  /** The slow lane's queue. */
  slowQueueUrl: string;
  deadLetterQueueUrl: string;
  /** The process started: npm with `npm: true`, else the stack's node process. */
  child: ChildProcess;
  /** Everything the stack printed, for assertions on its log lines. */
  output: () => string;
  /** Sends a signal and waits for the process to exit. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
  /** An SQS client on the stack's emulator, for looking into the queues. */
  sqs: SQSClient;
  /** Receives what is in the dead-letter queue now (up to 10 messages, with their attributes). */
  deadLetters(): Promise<Message[]>;
  /** Every answer `api()` got, for checking against the API document. */
  exchanges: Exchange[];
  /** Calls the HTTP API with the admin key. */
  api(
    method: string,
    path: string,
    body?: unknown,
    headers?: Record<string, string>,
  ): Promise<{ status: number; headers: Headers; json: any }>;
}

/**
 * Starts `npm start`'s entry point (local/main.ts) as a child process on ephemeral loopback ports,
 * exactly as a user runs it (through npm itself with `npm: true`), and waits for it to say it is
 * ready. `quiet: false` keeps the banner and walkthrough in the output.
 */
export async function startStack(
  options: { dataDir?: string; env?: Record<string, string>; args?: string[]; npm?: boolean; quiet?: boolean } = {},
): Promise<RunningStack> {
  const args = [
    "--ready-json",
    ...(options.quiet === false ? [] : ["--quiet"]),
    ...(options.dataDir ? [] : ["--in-memory"]),
    ...(options.args ?? []),
  ];
  const env = { PORT: "0", ...(options.dataDir && { DATA_DIR: options.dataDir }), ...options.env };
  const { child, output: printed, exited } = startProcess({ args, env, ...(options.npm && { npm: true }) });
  const ready = await new Promise<Record<string, string> & { listening: string[]; pid: number }>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`local stack did not start:\n${printed()}`)), 60_000);
    const check = () => {
      const match = /^READY (.*)$/m.exec(printed());
      if (match) {
        clearTimeout(timer);
        resolve(JSON.parse(match[1] as string));
      }
    };
    child.stdout?.on("data", check);
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`local stack exited with ${code}:\n${printed()}`));
    });
  });
  const apiUrl = ready.apiUrl as string;
  const sqs = new SQSClient({
    endpoint: ready.sqsUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "local", secretAccessKey: "local" },
    useQueueUrlAsEndpoint: false,
  });
  const exchanges: Exchange[] = [];
  return {
    exchanges,
    sqs,
    async deadLetters() {
      const out = await sqs.send(
        new ReceiveMessageCommand({
          QueueUrl: ready.deadLetterQueueUrl,
          MaxNumberOfMessages: 10,
          MessageAttributeNames: ["All"],
          WaitTimeSeconds: 1,
        }),
      );
      return out.Messages ?? [];
    },
    apiUrl,
    websocketUrl: ready.websocketUrl as string,
    sqsUrl: ready.sqsUrl as string,
    dynamoUrl: ready.dynamoUrl as string,
    listening: ready.listening,
    pid: ready.pid,
    deliveryQueueUrl: ready.deliveryQueueUrl as string,
    slowQueueUrl: ready.slowQueueUrl as string,
    deadLetterQueueUrl: ready.deadLetterQueueUrl as string,
    child,
    output: printed,
    async stop(signal = "SIGTERM") {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
    async api(method, path, body, headers = {}) {
      const response = await fetch(apiUrl + path, {
        method,
        headers: {
          authorization: "Bearer local-admin-key",
          ...(body !== undefined && { "content-type": "application/json" }),
          ...headers,
        },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      const text = await response.text();
      const json = text ? JSON.parse(text) : undefined;
      exchanges.push({ method, path, status: response.status, contentType: response.headers.get("content-type"), body: json });
      return { status: response.status, headers: response.headers, json };
    },
  };
}

/** Polls `probe` until it returns a truthy value, or fails after `timeoutMs` with the last value seen. */
export async function eventually<T>(probe: () => Promise<T>, timeoutMs = 20_000, intervalMs = 100): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (last) return last as NonNullable<T>;
    await new Promise((r) => setTimeout(r, intervalMs));
  }
  throw new Error(`condition not met within ${timeoutMs} ms; last value: ${JSON.stringify(last)}`);
}
