import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { SendMessageCommand } from "@aws-sdk/client-sqs";
import { afterAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

const dataDir = mkdtempSync(join(tmpdir(), "hookrelay-restart-"));
const stacks: RunningStack[] = [];
const receivers: Awaited<ReturnType<typeof startReceiver>>[] = [];

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop("SIGKILL")));
  await Promise.all(receivers.map((r) => r.close()));
  rmSync(dataDir, { recursive: true, force: true });
});

async function start(env: Record<string, string> = {}) {
  // JSON logs here, as in Lambda: the run's log is checked for secrets at the end.
  const stack = await startStack({ dataDir, env: { RETRY_SCHEDULE: "3", LOG_FORMAT: "json", LOG_LEVEL: "DEBUG", ...env } });
  stacks.push(stack);
  return stack;
}

describe("the local stack's data directory", () => {
  it("keeps endpoints, events and queued deliveries across a kill -9 and a restart", async () => {
    let healthy = false;
    const r = await startReceiver(() => (healthy ? { status: 200 } : { status: 500 }));
    receivers.push(r);
    const first = await start();
    const ep = (await first.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-restart" })).json;
    expect(ep.secret).toMatch(/^whsec_/);
    const event = (await first.api("POST", "/v1/events", { type: "a", payload: { kept: true }, tenantId: "t-restart" })).json;
    // The first attempt fails and the message waits 3 s (±20 %) for its retry; kill the stack meanwhile.
    await eventually(async () => r.requests.length === 1);
    await eventually(
      async () => (await first.api("GET", `/v1/events/${event.id}?tenantId=t-restart`)).json.deliveries[0].status === "failed",
    );
    await first.stop("SIGKILL");
    healthy = true;

    const second = await start();
    expect((await second.api("GET", `/v1/endpoints/${ep.id}`)).json).toMatchObject({ id: ep.id, url: ep.url });
    const delivery = await eventually(async () => {
      const view = (await second.api("GET", `/v1/events/${event.id}?tenantId=t-restart`)).json;
      return view.deliveries[0].status === "succeeded" ? view : undefined;
    });
    expect(delivery.payload).toEqual({ kept: true });
    expect(delivery.deliveries[0]).toMatchObject({ attempts: 2, lastStatusCode: 200 });
    expect(r.requests.map((q) => q.headers["webhook-id"])).toEqual([event.messageId, event.messageId]);
    expect(await second.stop("SIGTERM")).toBe(0);
    const logs = first.output() + second.output();
    expect(logs).toContain('"message":"delivery attempt"');
    for (const secret of [ep.secret, ep.secret.slice(6), "local-admin-key"]) expect(logs).not.toContain(secret);
  });

  it("records a message dead-lettered by the queue as an exhausted delivery", async () => {
    const r = await startReceiver(() => ({ status: 500 }));
    receivers.push(r);
    const stack = await start({ RETRY_SCHEDULE: "600" });
    const ep = (await stack.api("POST", "/v1/endpoints", { url: r.url, tenantId: "t-dlq" })).json;
    const event = (await stack.api("POST", "/v1/events", { type: "a", payload: 1, tenantId: "t-dlq" })).json;
    await eventually(async () => (await stack.api("GET", `/v1/events/${event.id}?tenantId=t-dlq`)).json.deliveries[0].status === "failed");
    // What SQS's redrive policy does after maxReceiveCount receives: the message lands in the dead-letter queue.
    const message = { v: 1, eventId: event.id, endpointId: ep.id, tenantId: "t-dlq", type: "a", createdAt: event.createdAt, body: "1" };
    await stack.sqs.send(new SendMessageCommand({ QueueUrl: stack.deadLetterQueueUrl, MessageBody: JSON.stringify(message) }));
    const delivery = await eventually(async () => {
      const d = (await stack.api("GET", `/v1/events/${event.id}?tenantId=t-dlq`)).json.deliveries[0];
      return d.status === "exhausted" ? d : undefined;
    });
    expect(delivery).toMatchObject({ attempts: 1, lastStatusCode: 500, lastError: "dead_lettered" });
    expect(await stack.stop("SIGTERM")).toBe(0);
  });
});
