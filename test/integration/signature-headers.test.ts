import { Webhook as Webhook1 } from "svix";
import { Webhook as Webhook2 } from "svix-2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { type ReceivedRequest, startReceiver } from "../support/receiver.ts";

/*
 * signatureHeaders on a real receiver: each style's deliveries verify with the svix package's own
 * Webhook.verify (1.x and 2.x), under exactly the header names the style names, and the deployment
 * default (SIGNATURE_HEADERS) applies to endpoints that choose none.
 */
let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;

beforeAll(async () => {
  receiver = await startReceiver(() => ({ status: 204 }));
  stack = await startStack({ env: { SIGNATURE_HEADERS: "svix" } });
});
afterAll(async () => {
  await stack?.stop("SIGTERM");
  await receiver?.close();
});

const NAMES = { webhook: ["webhook-id", "webhook-timestamp", "webhook-signature"], svix: ["svix-id", "svix-timestamp", "svix-signature"] };

const OTHER_SECRET = `whsec_${Buffer.alloc(32, 7).toString("base64")}`;

/** Verifies the request with both svix majors (2.x returns nothing, 1.x the payload), and refuses it under another secret. */
function verifyWithSvix(secret: string, request: ReceivedRequest): void {
  expect(new Webhook1(secret).verify(request.body, request.headers)).toEqual(JSON.parse(request.body));
  expect(() => new Webhook2(secret).verify(request.body, request.headers)).not.toThrow();
  for (const Webhook of [Webhook1, Webhook2]) expect(() => new Webhook(OTHER_SECRET).verify(request.body, request.headers)).toThrow();
}

async function deliverTo(tenantId: string, signatureHeaders?: string) {
  const path = `/${tenantId}`;
  const ep = (
    await stack.api("POST", "/v1/endpoints", { url: `${receiver.url}${path}`, tenantId, ...(signatureHeaders && { signatureHeaders }) })
  ).json;
  expect(ep.signatureHeaders ?? null).toBe(signatureHeaders ?? null);
  const event = (await stack.api("POST", "/v1/events", { type: "order.paid", payload: { tenantId, n: 1 }, tenantId })).json;
  const request = await eventually(async () => receiver.requests.find((r) => r.path === path));
  return { ep, event, request };
}

describe("signatureHeaders", () => {
  it("'svix' sends svix-id, svix-timestamp and svix-signature only, which svix 1.x and 2.x verify", async () => {
    const { ep, event, request } = await deliverTo("t-svix", "svix");
    for (const name of NAMES.svix) expect(request.headers[name]).toBeDefined();
    for (const name of NAMES.webhook) expect(request.headers[name]).toBeUndefined();
    expect(request.headers["svix-id"]).toBe(event.messageId);
    verifyWithSvix(ep.secret, request);
  });

  it("'both' sends both sets with the same values", async () => {
    const { ep, request } = await deliverTo("t-both", "both");
    expect(NAMES.webhook.map((name) => request.headers[name])).toEqual(NAMES.svix.map((name) => request.headers[name]));
    verifyWithSvix(ep.secret, request);
  });

  it("'webhook' sends the Standard Webhooks names only", async () => {
    const { ep, request } = await deliverTo("t-webhook", "webhook");
    for (const name of NAMES.webhook) expect(request.headers[name]).toBeDefined();
    for (const name of NAMES.svix) expect(request.headers[name]).toBeUndefined();
    verifyWithSvix(ep.secret, request);
  });

  it("an endpoint that chooses none follows SIGNATURE_HEADERS (svix here), and PATCH null returns it there", async () => {
    const { ep, request } = await deliverTo("t-default");
    expect(request.headers["svix-signature"]).toBeDefined();
    expect(request.headers["webhook-signature"]).toBeUndefined();
    verifyWithSvix(ep.secret, request);
    const patched = (await stack.api("PATCH", `/v1/endpoints/${ep.id}`, { signatureHeaders: "webhook" })).json;
    expect(patched.signatureHeaders).toBe("webhook");
    expect((await stack.api("PATCH", `/v1/endpoints/${ep.id}`, { signatureHeaders: null })).json.signatureHeaders).toBeNull();
  });

  it("an endpoint that chooses none follows its tenant's settings.signatureHeaders over SIGNATURE_HEADERS; the endpoint's own wins", async () => {
    // Set before the tenant's first delivery: the worker has not read the record yet.
    await stack.api("POST", "/v1/tenants", { id: "t-tenant-default" });
    const set = await stack.api("PATCH", "/v1/tenants/t-tenant-default", { settings: { signatureHeaders: "both" } });
    expect(set.json.settings).toEqual({ signatureHeaders: "both" });
    const { ep, request } = await deliverTo("t-tenant-default");
    expect(NAMES.webhook.map((name) => request.headers[name])).toEqual(NAMES.svix.map((name) => request.headers[name]));
    verifyWithSvix(ep.secret, request);
    const own = (
      await stack.api("POST", "/v1/endpoints", {
        url: `${receiver.url}/own-webhook`,
        tenantId: "t-tenant-default",
        signatureHeaders: "webhook",
      })
    ).json;
    await stack.api("POST", "/v1/events", { type: "order.paid", payload: { own: true }, tenantId: "t-tenant-default" });
    const ownRequest = await eventually(async () => receiver.requests.find((r) => r.path === "/own-webhook"));
    expect(ownRequest.headers["svix-signature"]).toBeUndefined();
    verifyWithSvix(own.secret, { ...ownRequest, headers: { ...ownRequest.headers } });
    const bad = await stack.api("PATCH", "/v1/tenants/t-tenant-default", { settings: { signatureHeaders: "stripe" } });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.json)).toContain("signatureHeaders");
  });

  it("refuses an unknown style and a polling endpoint's signatureHeaders, naming the field", async () => {
    const bad = await stack.api("POST", "/v1/endpoints", { url: receiver.url, signatureHeaders: "stripe" });
    expect(bad.status).toBe(422);
    expect(JSON.stringify(bad.json)).toContain("signatureHeaders");
    const polling = await stack.api("POST", "/v1/endpoints", { kind: "polling", signatureHeaders: "svix" });
    expect(polling.status).toBe(422);
    expect(JSON.stringify(polling.json)).toContain("signatureHeaders");
  });
});
