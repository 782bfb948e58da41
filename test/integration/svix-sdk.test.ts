/**
 * Svix's official SDKs, 1.x (npm svix 1.99.1, with a trailing slash in serverUrl) and 2.x (npm
 * svix-2 = svix 2.5.0), against the local stack's Svix face: each SDK keeps its code and changes
 * only serverUrl and the key. Every answer is held to the served shapes (test/support/svix-contract.ts).
 */
import { ApiException as ApiException1, Svix as Svix1, Webhook as Webhook1 } from "svix";
import { ApiException, Svix as Svix2, Webhook } from "svix-2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { type ReceivedRequest, startReceiver } from "../support/receiver.ts";
import { svixContractFetch } from "../support/svix-contract.ts";

let stack: RunningStack;
let receiver: Awaited<ReturnType<typeof startReceiver>>;
/** When the receiver was sent each request (epoch ms). */
const arrivals = new Map<ReceivedRequest, number>();
const ADMIN = "local-admin-key";

beforeAll(async () => {
  // The receiver fails the path /fail, so that attempts fail and recover has work.
  [stack, receiver] = await Promise.all([
    startStack(),
    startReceiver((r) => {
      arrivals.set(r, Date.now());
      return { status: r.path?.startsWith("/fail") ? 500 : 204 };
    }),
  ]);
});

afterAll(async () => {
  await receiver?.close();
  await stack?.stop();
});

/** The SDK of that major version on the local stack, its answers checked. */
function sdk(major: 1 | 2, key = ADMIN) {
  const contract = svixContractFetch();
  const client =
    major === 1
      ? new Svix1(key, { serverUrl: `${stack.apiUrl}/`, fetch: contract.fetch })
      : new Svix2(key, { serverUrl: stack.apiUrl, fetch: contract.fetch });
  return { client: client as Svix2, contract };
}

/** Every page of a list, walked with its iterator. */
async function allPages<T>(list: (iterator: string | undefined) => Promise<{ data: T[]; iterator?: string | null; done: boolean }>) {
  const pages: T[][] = [];
  let iterator: string | undefined;
  for (;;) {
    const page = await list(iterator);
    pages.push(page.data);
    if (page.done) return pages;
    iterator = page.iterator ?? undefined;
  }
}

describe.each([1, 2] as const)("Svix SDK %i.x on the local stack", (major) => {
  const uid = `shop-${major}`;

  it("creates an app by uid, an endpoint, and delivers messages with and without eventId that Webhook.verify accepts", async () => {
    const { client, contract } = sdk(major);
    const app = await client.application.getOrCreate({ name: "Shop", uid });
    expect(app.uid).toBe(uid);
    expect((await client.application.get(uid)).id).toBe(app.id);
    const endpoint = await client.endpoint.create(uid, {
      url: `${receiver.url}/ok-${major}`,
      uid: "main",
      eventTypes: ["order.created"],
    } as never);
    const { key } = await client.endpoint.getSecret(uid, "main");
    const named = await client.message.create(uid, { eventType: "order.created", payload: { order: 1 }, eventId: `order-1-${major}` });
    const unnamed = await client.message.create(uid, { eventType: "order.created", payload: { order: 2 } });
    expect(named.eventId).toBe(`order-1-${major}`);
    expect(unnamed.eventId ?? null).toBeNull();
    const received = await eventually(async () => {
      const mine = receiver.requests.filter((r) => r.path === `/ok-${major}`);
      return mine.length >= 2 ? mine : undefined;
    });
    const Verifier = major === 1 ? Webhook1 : Webhook;
    for (const request of received) {
      // 2.x's verify answers nothing (it throws when the signature is wrong); 1.x's answers the payload.
      new Verifier(key).verify(request.body, request.headers as Record<string, string>);
      expect(() => new Verifier(key).verify(`${request.body} `, request.headers as Record<string, string>)).toThrow();
      const { order } = JSON.parse(request.body) as { order: number };
      expect(request.headers["webhook-id"]).toBe(order === 1 ? named.id : unnamed.id);
    }
    // 2.x asks with_content=false unless told otherwise, and then gets an empty payload, as from Svix.
    expect((await client.message.get(uid, named.id, { withContent: true })).payload).toEqual({ order: 1 });
    expect((await client.message.get(uid, `order-1-${major}`)).id).toBe(named.id);
    expect(endpoint.id).toMatch(/^ep_/);
    expect(contract.problems).toEqual([]);
  });

  it("holds a message with deliverAt until its time, and shows the time it was given", async () => {
    const { client, contract } = sdk(major);
    const deliverAt = new Date(Date.now() + 3_000);
    const message = await client.message.create(uid, { eventType: "order.created", payload: { later: major }, deliverAt } as never);
    expect(new Date(message.deliverAt as unknown as string | Date).getTime()).toBe(deliverAt.getTime());
    const arrived = () => receiver.requests.find((r) => r.headers["webhook-id"] === message.id);
    const request = await eventually(async () => arrived(), 20_000);
    // Its arrival, stamped by the receiver: never before its time (a late timer here cannot fail this).
    expect(arrivals.get(request)).toBeGreaterThanOrEqual(deliverAt.getTime());
    expect(JSON.parse(request.body)).toEqual({ later: major });
    expect(contract.problems).toEqual([]);
  });

  it("lists messages and attempts page by page", async () => {
    const { client, contract } = sdk(major);
    for (let i = 0; i < 3; i++) await client.message.create(uid, { eventType: "order.created", payload: { page: i } });
    const pages = await allPages((iterator) => client.message.list(uid, { limit: 2, iterator }));
    const ids = pages.flat().map((m) => m.id);
    expect(pages.length).toBeGreaterThan(1);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.length).toBeGreaterThanOrEqual(5);
    const attempts = await eventually(async () => {
      const all = (await allPages((iterator) => client.messageAttempt.listByEndpoint(uid, "main", { limit: 2, iterator }))).flat();
      return all.length >= 5 ? all : undefined;
    });
    expect(attempts.every((a) => a.status === 0 && a.statusText === "success" && a.triggerType === 0)).toBe(true);
    const byMsg = await client.messageAttempt.listByMsg(uid, ids[0] as string);
    expect(byMsg.data[0]?.msgId).toBe(ids[0]);
    // endpoint_id narrows them by the endpoint's id or its uid, as a path does; an unknown one is a 404.
    const endpointId = byMsg.data[0]?.endpointId as string;
    const ofEndpoint = byMsg.data.filter((a) => a.endpointId === endpointId).map((a) => a.id);
    for (const name of [endpointId, "main"]) {
      const narrowed = await client.messageAttempt.listByMsg(uid, ids[0] as string, { endpointId: name });
      expect(narrowed.data.map((a) => a.id)).toEqual(ofEndpoint);
    }
    const unknown = await client.messageAttempt
      .listByMsg(uid, ids[0] as string, { endpointId: "no-such-endpoint" })
      .catch((e: unknown) => (e as ApiException<unknown>).code);
    expect(unknown).toBe(404);
    expect(contract.problems).toEqual([]);
  });

  it("reads and rotates the secret, resends, and recovers with a background task", async () => {
    const { client, contract } = sdk(major);
    const failing = await client.endpoint.create(uid, { url: `${receiver.url}/fail-${major}`, eventTypes: ["order.failed"] } as never);
    const before = (await client.endpoint.getSecret(uid, failing.id)).key;
    await client.endpoint.rotateSecret(uid, failing.id, {});
    expect((await client.endpoint.getSecret(uid, failing.id)).key).not.toBe(before);
    const msg = await client.message.create(uid, { eventType: "order.failed", payload: { fail: true } });
    await eventually(async () =>
      (await client.messageAttempt.listByMsg(uid, msg.id)).data.some((a) => a.status === 2) ? true : undefined,
    );
    await client.messageAttempt.resend(uid, msg.id, failing.id);
    await eventually(async () =>
      (await client.messageAttempt.listByMsg(uid, msg.id)).data.some((a) => a.triggerType === 1) ? true : undefined,
    );
    const task = await client.endpoint.recover(uid, failing.id, { since: new Date(Date.now() - 3_600_000) });
    expect(task).toMatchObject({ task: "endpoint.recover" });
    const done = await eventually(async () => {
      const got = await client.backgroundTask.get(task.id);
      return got.status === "finished" ? got : undefined;
    });
    expect(done.id).toBe(task.id);
    expect(contract.problems).toEqual([]);
  });

  it("catalogs event types with schemas and holds messages to them", async () => {
    const { client, contract } = sdk(major);
    const name = `invoice.paid.v${major}`;
    const schema = { type: "object", properties: { amount: { type: "integer" } }, required: ["amount"] };
    await client.eventType.create({ name, description: "An invoice was paid", schemas: { "1": schema } });
    expect((await client.eventType.get(name)).schemas).toEqual({ "1": schema });
    const refused = await client.message.create(uid, { eventType: name, payload: { amount: "ten" } }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(major === 1 ? ApiException1 : ApiException);
    expect((refused as ApiException<unknown>).code).toBe(422);
    await client.eventType.delete(name);
    expect((await client.eventType.get(name)).archived).toBe(true);
    expect(contract.problems).toEqual([]);
  });

  it("opens the portal, and surfaces errors as ApiException with the status", async () => {
    const { client, contract } = sdk(major);
    const access = await client.authentication.appPortalAccess(uid, {});
    expect(access.url).toContain(access.token);
    if (major === 1) expect((await (client as unknown as Svix1).authentication.dashboardAccess(uid)).token).toBeTruthy();
    const missing = await client.application.get("no-such-app").catch((e: unknown) => e);
    expect(missing).toBeInstanceOf(major === 1 ? ApiException1 : ApiException);
    expect(missing).toMatchObject({ code: 404, body: { code: "not_found" } });
    const { key } = await fetch(`${stack.apiUrl}/v1/api-keys`, {
      method: "POST",
      headers: { authorization: `Bearer ${ADMIN}`, "content-type": "application/json" },
      body: JSON.stringify({ tenantId: `other-${major}`, name: "other" }),
    }).then((r) => r.json() as Promise<{ key: string }>);
    const other = sdk(major, key);
    expect(await other.client.application.get(uid).catch((e: unknown) => (e as ApiException<unknown>).code)).toBe(404);
    const wrongKey = await sdk(major, "wrong")
      .client.application.list()
      .catch((e: unknown) => (e as ApiException<unknown>).code);
    expect(wrongKey).toBe(401);
    expect([...contract.problems, ...other.contract.problems]).toEqual([]);
  });
});
