/**
 * The walkthrough `npm start` prints, run as a user runs it: its commands pasted into bash (the
 * receiver in one shell, the steps in another), twice in a row, then again after a restart, then
 * the `hookrelay listen` alternative. Nothing is filled in by the test but the ports it asks for.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { delimiter, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const dataDir = mkdtempSync(join(tmpdir(), "hookrelay-walkthrough-"));
const home = mkdtempSync(join(tmpdir(), "hookrelay-walkthrough-home-"));

/** A user's shell: no npm_* variables and no node_modules/.bin on PATH (npm adds those for its scripts). */
const userEnv = (): Record<string, string> => {
  const env = Object.fromEntries(Object.entries(process.env).filter(([k, v]) => v !== undefined && !k.startsWith("npm_"))) as Record<
    string,
    string
  >;
  env.PATH = (env.PATH ?? "")
    .split(delimiter)
    .filter((dir) => !dir.includes("node_modules"))
    .join(delimiter);
  return { ...env, HOME: home };
};

/** A bash running `script`, in a process group of its own so the test can stop all it started. */
function bash(script: string) {
  const child = spawn("bash", ["-c", script], { cwd: ROOT, env: userEnv(), detached: true, stdio: ["ignore", "pipe", "pipe"] });
  let output = "";
  child.stdout.on("data", (d: Buffer) => {
    output += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    output += d.toString();
  });
  const exited = new Promise<number | null>((resolve) => child.once("exit", (code) => resolve(code)));
  return { child, output: () => output, exited };
}

const running: ChildProcess[] = [];
const background = (script: string) => {
  const shell = bash(script);
  running.push(shell.child);
  return shell;
};
const stopGroup = (child: ChildProcess, signal: NodeJS.Signals) => {
  try {
    process.kill(-(child.pid as number), signal);
  } catch {
    // Already gone.
  }
};

/** The walkthrough's blocks, each its comment and its commands (indent removed), as printed. */
function walkthrough(output: string): { comment: string; commands: string }[] {
  const start = output.indexOf("Walkthrough (");
  const end = output.indexOf("Each delivery attempt", start);
  expect(start).toBeGreaterThanOrEqual(0);
  return output
    .slice(output.indexOf("\n", start) + 1, end)
    .split(/\n\s*\n/)
    .map((block) => block.split("\n").map((line) => line.replace(/^ {2}/, "")))
    .map((lines) => ({
      comment: lines.filter((l) => l.startsWith("#")).join("\n"),
      commands: lines.filter((l) => l.trim() !== "" && !l.startsWith("#")).join("\n"),
    }))
    .filter((block) => block.commands !== "");
}

let stack: RunningStack;
let env: Record<string, string>;
let printed: string;
let receiver: ReturnType<typeof bash>;

const start = async () => {
  stack = await startStack({ dataDir, npm: true, quiet: false, env });
  await eventually(async () => stack.output().includes("Each delivery attempt"));
  return stack.output().slice(stack.output().indexOf("hookrelay local stack"), stack.output().indexOf("Each delivery attempt"));
};
const blocks = () => walkthrough(printed);
const steps = () => blocks().filter((b) => !b.comment.startsWith("# 1.") && !/^#\s+or,/.test(b.comment));

/** Runs steps 2 to 4 in one bash, as pasted into one terminal, and returns the event id step 3 printed. */
async function runSteps(): Promise<{ eventId: string; messageId: string }> {
  const shell = bash(
    `set -e\n${steps()
      .map((b) => b.commands)
      .join("\n")}`,
  );
  expect(await shell.exited, shell.output()).toBe(0);
  const eventId = /^(evt_[0-9a-f]+)$/m.exec(shell.output())?.[1];
  expect(eventId, shell.output()).toBeDefined();
  // Step 4 read the event by the captured id: its JSON names it.
  expect(shell.output()).toContain(`"id":"${eventId}"`);
  // Its deliveries carry the event's message id as webhook-id.
  const messageId = /"messageId":"(msg_[A-Za-z0-9]+)"/.exec(shell.output())?.[1];
  expect(messageId, shell.output()).toBeDefined();
  return { eventId: eventId as string, messageId: messageId as string };
}

/** Waits until the receiver printed `count` verified deliveries of the event, and no rejected one. */
async function receivedVerified({ messageId }: { messageId: string }, count = 1): Promise<void> {
  await eventually(async () => receiver.output().split(`webhook-id=${messageId} signature verified`).length - 1 >= count);
  expect(receiver.output()).not.toContain("REJECTED");
}

beforeAll(async () => {
  // WS_PORT too: unset it is PORT + 1, which a server of another test file may hold.
  env = { PORT: String(await freePort()), WS_PORT: String(await freePort()), RECEIVER_PORT: String(await freePort()) };
  printed = await start();
});

afterAll(async () => {
  for (const child of running) stopGroup(child, "SIGTERM");
  await stack?.stop("SIGTERM");
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(home, { recursive: true, force: true });
});

describe("the walkthrough npm start prints", () => {
  it("names the receiver's port it was given, in every command", () => {
    expect(blocks().map((b) => b.comment.slice(0, 5))).toEqual(["# 1. ", "# 2. ", "#    ", "# 3. ", "# 4. "]);
    expect(printed).toContain(`RECEIVER_PORT=${env.RECEIVER_PORT} `);
    expect(printed).not.toMatch(/:4000\b/);
  });

  it("runs as printed: the receiver starts, and steps 2 to 4 register it, emit an event it verifies, and read the event back", async () => {
    const command = blocks()[0]?.commands as string;
    receiver = background(command);
    await eventually(async () => receiver.output().includes(`listening on http://127.0.0.1:${env.RECEIVER_PORT}`));
    await receivedVerified(await runSteps());
  });

  it("runs again as it is: no second endpoint, and the new event is delivered and verified", async () => {
    const sent = await runSteps();
    await receivedVerified(sent);
    const endpoints = await stack.api("GET", "/v1/endpoints");
    expect(endpoints.json.items.filter((e: { url?: string }) => e.url === `http://127.0.0.1:${env.RECEIVER_PORT}/webhooks`)).toHaveLength(
      1,
    );
    expect((await stack.api("GET", `/v1/events/${sent.eventId}`)).json.deliveries).toHaveLength(1);
  });

  it("prints the same commands after a restart on the same data directory, which the running receiver still verifies", async () => {
    expect(await stack.stop("SIGTERM")).toBe(0);
    expect(await start()).toBe(printed);
    await receivedVerified(await runSteps());
  });

  it("the listen alternative runs as printed, and forwards the next event to the receiver, verified", async () => {
    const listen = background(blocks().find((b) => /^#\s+or,/.test(b.comment))?.commands as string);
    await eventually(async () => listen.output().includes("Waiting for webhooks"));
    const sent = await runSteps();
    // Once through the registered endpoint, once through the listener's polling endpoint.
    await receivedVerified(sent, 2);
    // Ctrl-C deletes the listener's temporary endpoint.
    const endpointId = /Endpoint +(ep_\S+)/.exec(listen.output())?.[1];
    expect((await stack.api("GET", `/v1/endpoints/${endpointId}`)).status).toBe(200);
    stopGroup(listen.child, "SIGINT");
    await listen.exited;
    await eventually(async () => (await stack.api("GET", `/v1/endpoints/${endpointId}`)).status === 404);
  });

  it("the AWS destinations block runs as printed, delivers to its queue, and runs again after a restart without a second endpoint", async () => {
    /** The block's commands as the stack printed them this time (its emulators' ports change at every start). */
    const destinationsBlock = () => {
      const output = stack.output();
      const lines = output.slice(output.lastIndexOf("# create a queue")).split("\n").slice(1);
      // The block is indented; the log lines that follow it are not.
      return lines
        .slice(
          0,
          lines.findIndex((line) => !line.startsWith("  ")),
        )
        .map((line) => line.replace(/^ {2}/, ""))
        .join("\n");
    };
    const run = async () => {
      const shell = bash(`set -e\n${destinationsBlock()}`);
      expect(await shell.exited, shell.output()).toBe(0);
      return shell.output();
    };
    const described = async () =>
      (await stack.api("GET", "/v1/endpoints?limit=250")).json.items.filter(
        (e: { description?: string }) => e.description === "npm start destinations: my-events",
      );
    await run();
    expect(await described()).toHaveLength(1);
    const sent = await runSteps();
    // The next run reads what arrived: the event's body, with its webhook-id as a message attribute.
    await eventually(async () => (await run()).includes(sent.messageId), 30_000);
    expect(await stack.stop("SIGTERM")).toBe(0);
    await start();
    await run();
    expect(await described()).toHaveLength(1);
  });

  it("registers its own endpoint when another one (the README's example, no secret given) already has the receiver's URL", async () => {
    const url = `http://127.0.0.1:${env.RECEIVER_PORT}/webhooks`;
    const atUrl = async () => (await stack.api("GET", "/v1/endpoints?limit=250")).json.items.filter((e: { url?: string }) => e.url === url);
    const [walkthroughs] = await atUrl();
    // As if the README's example had run before the walkthrough: an endpoint at the URL with a secret of its own.
    expect((await stack.api("DELETE", `/v1/endpoints/${walkthroughs.id}`)).status).toBeLessThan(300);
    expect((await stack.api("POST", "/v1/endpoints", { url, eventTypes: ["invoice.paid"] })).status).toBe(201);
    const sent = await runSteps();
    expect(await atUrl()).toHaveLength(2);
    // The walkthrough's endpoint signs with the receiver's secret: its delivery verifies (the other's is rejected, as it must be).
    await eventually(async () => receiver.output().includes(`webhook-id=${sent.messageId} signature verified`));
  });
});
