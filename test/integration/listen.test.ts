// `hookrelay listen` as a real process on the real local stack: a temporary polling endpoint, its feed
// long-polled and forwarded to a receiver that verifies with the standardwebhooks library.
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateSecret } from "../../functions/core/kernel/signing.ts";
import { type ListenProcess, startListen, startVerifyingReceiver } from "../support/listen-process.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";

let stack: RunningStack;
let tenantKey: string;
const stateDir = mkdtempSync(join(tmpdir(), "hookrelay-listen-it-"));
const cleanups: (() => Promise<unknown>)[] = [];

beforeAll(async () => {
  stack = await startStack();
  const created = await stack.api("POST", "/v1/api-keys", { tenantId: "t-listen", name: "listen" });
  expect(created.status).toBe(201);
  tenantKey = created.json.key;
});

afterAll(async () => {
  await Promise.all(cleanups.map((cleanup) => cleanup()));
  await stack.stop("SIGKILL");
  rmSync(stateDir, { recursive: true, force: true });
});

function listenTo(url: string, extra: string[] = []): ListenProcess {
  const listener = startListen(["listen", "--forward-to", url, "--events", "invoice.paid", "--state-dir", stateDir, ...extra], {
    HOOKRELAY_API_URL: stack.apiUrl,
    HOOKRELAY_API_KEY: tenantKey,
  });
  cleanups.push(() => listener.stop("SIGKILL"));
  return listener;
}

const emit = async (n: number, type = "invoice.paid") => {
  const answer = await stack.api("POST", "/v1/events", { type, tenantId: "t-listen", payload: { n } });
  expect(answer.status).toBe(202);
  // What the receiver is sent as webhook-id: the event's message id.
  return answer.json.messageId as string;
};

describe("hookrelay listen on the local stack", () => {
  it("forwards emitted events of its types, signed so that standardwebhooks verifies them, and deletes its endpoint on SIGINT", async () => {
    const secret = generateSecret();
    const receiver = await startVerifyingReceiver(() => secret);
    cleanups.push(() => receiver.close());
    const listener = listenTo(receiver.url, ["--secret", secret]);
    expect(await listener.secret()).toBe(secret);
    const endpointId = await listener.endpointId();
    expect((await stack.api("GET", `/v1/endpoints/${endpointId}`)).json).toMatchObject({ kind: "polling", eventTypes: ["invoice.paid"] });

    const wanted = [await emit(1), await emit(2)];
    await emit(3, "order.created");
    await eventually(async () => receiver.received.length >= 2, 30_000);
    expect(receiver.received.map((r) => r.webhookId)).toEqual(wanted);
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    // The body is the payload as emitted, as a webhook POST carries it.
    expect(receiver.received.map((r) => JSON.parse(r.body))).toEqual([{ n: 1 }, { n: 2 }]);

    expect(await listener.stop("SIGINT")).toBe(0);
    expect((await stack.api("GET", `/v1/endpoints/${endpointId}`)).status).toBe(404);
  });

  it("loses nothing across kill -9: the next run resumes the same endpoint from its cursor", async () => {
    let secret = "";
    const receiver = await startVerifyingReceiver(() => secret, { delayMs: 100 });
    cleanups.push(() => receiver.close());
    const first = listenTo(receiver.url);
    secret = await first.secret();
    const endpointId = await first.endpointId();
    const wanted: string[] = [];
    for (let n = 0; n < 8; n++) wanted.push(await emit(n));
    await eventually(async () => receiver.received.length >= 2, 30_000);
    await first.stop("SIGKILL");

    const second = listenTo(receiver.url);
    expect(await second.endpointId()).toBe(endpointId);
    await eventually(async () => new Set(receiver.received.map((r) => r.webhookId)).size === wanted.length, 30_000);
    expect([...new Set(receiver.received.map((r) => r.webhookId))].sort()).toEqual([...wanted].sort());
    expect(receiver.received.every((r) => r.verified)).toBe(true);
    expect(await second.stop("SIGTERM")).toBe(0);
    expect((await stack.api("GET", `/v1/endpoints/${endpointId}`)).status).toBe(404);
  });
});
