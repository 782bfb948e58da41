// `hookrelay listen` over the WebSocket push, as a real process on the real local stack, across a
// restart of the stack: it reconnects from its cursor and forwards everything, verified.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { freePort } from "../support/free-port.ts";
import { startListen, startVerifyingReceiver } from "../support/listen-process.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";

const dataDir = mkdtempSync(join(tmpdir(), "hookrelay-listen-push-"));
const stateDir = mkdtempSync(join(tmpdir(), "hookrelay-listen-push-state-"));
const cleanups: (() => Promise<unknown>)[] = [];

afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
  rmSync(dataDir, { recursive: true, force: true });
  rmSync(stateDir, { recursive: true, force: true });
});

describe("hookrelay listen --transport ws on the local stack", () => {
  it("is pushed each webhook, and survives a restart of the stack without losing one", async () => {
    const env = { PORT: String(await freePort()), WS_PORT: String(await freePort()) };
    let stack: RunningStack = await startStack({ dataDir, env });
    cleanups.push(() => stack.stop("SIGKILL"));
    const emit = async (n: number) => {
      const answer = await stack.api("POST", "/v1/events", { type: "invoice.paid", payload: { n } });
      expect(answer.status).toBe(202);
      return answer.json.messageId as string;
    };
    let secret = "";
    const receiver = await startVerifyingReceiver(() => secret);
    cleanups.push(() => receiver.close());
    const listener = startListen(
      ["listen", "--forward-to", receiver.url, "--events", "invoice.paid", "--state-dir", stateDir, "--transport", "ws"],
      { HOOKRELAY_API_URL: stack.apiUrl, HOOKRELAY_API_KEY: "local-admin-key" },
    );
    cleanups.push(() => listener.stop("SIGKILL"));
    secret = await listener.secret();
    await eventually(async () => listener.stdout().includes(`WebSocket: pushed from ${stack.websocketUrl}`), 30_000).catch((e) => {
      throw new Error(`${e}\n${listener.stdout()}\n${listener.stderr()}\n${stack.websocketUrl}`);
    });
    const wanted = [await emit(1), await emit(2), await emit(3)];
    await eventually(async () => receiver.received.length >= 3, 30_000).catch((e) => {
      throw new Error(`${e}\n${listener.stdout()}\n${listener.stderr()}`);
    });

    await stack.stop("SIGTERM");
    stack = await startStack({ dataDir, env });
    for (let n = 4; n <= 8; n++) wanted.push(await emit(n));
    await eventually(async () => new Set(receiver.received.map((r) => r.webhookId)).size >= wanted.length, 60_000);
    expect([...new Set(receiver.received.map((r) => r.webhookId))].sort()).toEqual([...wanted].sort());
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(listener.stdout()).not.toContain("long polling");
    expect(await listener.stop("SIGTERM")).toBe(0);
  }, 180_000);

  it("with --transport auto, long polls while the WebSocket cannot connect, and still forwards everything", async () => {
    const stack = await startStack();
    cleanups.push(() => stack.stop("SIGKILL"));
    let secret = "";
    const receiver = await startVerifyingReceiver(() => secret);
    cleanups.push(() => receiver.close());
    const nowhere = `ws://127.0.0.1:${await freePort()}`;
    const listener = startListen(
      ["listen", "--forward-to", receiver.url, "--events", "invoice.paid", "--state-dir", stateDir, "--ws", nowhere],
      { HOOKRELAY_API_URL: stack.apiUrl, HOOKRELAY_API_KEY: "local-admin-key" },
    );
    cleanups.push(() => listener.stop("SIGKILL"));
    secret = await listener.secret();
    const wanted: string[] = [];
    for (let n = 0; n < 3; n++)
      wanted.push((await stack.api("POST", "/v1/events", { type: "invoice.paid", payload: { n } })).json.messageId);
    await eventually(async () => new Set(receiver.received.map((r) => r.webhookId)).size >= wanted.length, 60_000);
    expect([...new Set(receiver.received.map((r) => r.webhookId))].sort()).toEqual([...wanted].sort());
    expect(listener.stdout()).toContain("long polling meanwhile");
    expect(await listener.stop("SIGTERM")).toBe(0);
  }, 120_000);
});
