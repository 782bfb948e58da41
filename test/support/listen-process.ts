import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { Webhook } from "standardwebhooks";
import { eventually } from "./local-stack.ts";

const CLI = fileURLToPath(new URL("../../cli/hookrelay.ts", import.meta.url));

/** A running `hookrelay listen` process and what it printed. */
export interface ListenProcess {
  child: ChildProcess;
  stdout: () => string;
  stderr: () => string;
  /** Resolves with the exit code once the process ended. */
  exited: Promise<number | null>;
  /** The whsec_ secret the banner printed, once it printed it. */
  secret: () => Promise<string>;
  /** The endpoint id the banner printed, once it printed it. */
  endpointId: () => Promise<string>;
  /** Sends a signal and waits for the exit code. */
  stop: (signal: NodeJS.Signals) => Promise<number | null>;
}

/** Starts the CLI as a user would, on the same Node, with no HOOKRELAY_* variables from the outside. */
export function startListen(args: string[], env: Record<string, string> = {}): ListenProcess {
  const { HOOKRELAY_API_URL: _url, HOOKRELAY_API_KEY: _key, ...clean } = process.env;
  const child = spawn(process.execPath, [CLI, ...args], { env: { ...clean, ...env }, stdio: ["ignore", "pipe", "pipe"] });
  let out = "";
  let err = "";
  child.stdout?.on("data", (d: Buffer) => {
    out += d.toString();
  });
  child.stderr?.on("data", (d: Buffer) => {
    err += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    secret: () => eventually(async () => /^ {2}Secret +(whsec_\S+)$/m.exec(out)?.[1]),
    endpointId: () => eventually(async () => /^ {2}Endpoint +(\S+) \(/m.exec(out)?.[1]),
    stop: (signal) => {
      child.kill(signal);
      return exited;
    },
  };
}

/** One request the verifying receiver got. */
export interface Received {
  webhookId: string;
  body: string;
  /** True when standardwebhooks accepted the signature with the secret. */
  verified: boolean;
}

/**
 * A receiver on 127.0.0.1 that checks every request with the standardwebhooks library (the way a
 * user's server would) and answers 204 if it verifies, 400 if not, or what `answer` says.
 */
export async function startVerifyingReceiver(
  secret: () => string,
  options: { port?: number; delayMs?: number; answer?: (index: number) => number } = {},
) {
  const received: Received[] = [];
  const server = http.createServer(async (req, res) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const headers = Object.fromEntries(Object.entries(req.headers).map(([k, v]) => [k, String(v)]));
    let verified = true;
    try {
      new Webhook(secret()).verify(body, headers);
    } catch {
      verified = false;
    }
    const index = received.length;
    received.push({ webhookId: headers["webhook-id"] ?? "", body, verified });
    if (options.delayMs) await new Promise((r) => setTimeout(r, options.delayMs));
    if (!res.destroyed) res.writeHead(options.answer?.(index) ?? (verified ? 204 : 400)).end();
  });
  // A taken port rejects (the test fails saying so) rather than emitting an 'error' nobody hears.
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(options.port ?? 0, "127.0.0.1", () => resolve()));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/webhooks`,
    received,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
