import fc from "fast-check";
import { Webhook } from "standardwebhooks";
import { describe, expect, it } from "vitest";
import { createApiKey } from "../../functions/core/access/api-keys.ts";
import { HOLE_GRACE_MS } from "../../functions/core/feed/deps.ts";
import { MAX_PAGE_BYTES } from "../../functions/core/feed/read.ts";
import { requestTenantDeletion } from "../../functions/core/lifecycle/tenant-deletion.ts";
import {
  ACK_TIMEOUT_MS,
  DEADLINE_BACKSTOP_MS,
  MAX_CONNECTION_MS,
  RECHECK_MS,
  SUBSCRIBE_DEADLINE_MS,
} from "../../functions/core/push/deps.ts";
import { CLOSE } from "../../functions/core/push/protocol.ts";
import { connect, disconnect, expireUnsubscribed, pushEndpoint, receive, sweep } from "../../functions/core/push/session.ts";
import { endpointFixture } from "../support/fakes.ts";
import { memoryPushDeps } from "../support/push-deps.ts";

type Frame = {
  type: string;
  id?: string;
  cursor?: string;
  code?: number;
  item?: { id: string; body: string; headers: Record<string, string> };
};

async function setup(settings: Parameters<typeof memoryPushDeps>[0] = {}) {
  const t = memoryPushDeps(settings);
  await t.init();
  const { key } = await createApiKey(t.deps, "acme", "push");
  let n = 0;
  const open = async (endpointId = "ep_1", authorization = `Bearer ${key}`, cursor?: string) => {
    const id = `conn_${++n}`;
    await connect(t.deps, id);
    await receive(t.deps, id, JSON.stringify({ action: "subscribe", endpointId, authorization, ...(cursor && { cursor }) }));
    return id;
  };
  const frames = (id: string) => t.deps.channel.of(id) as Frame[];
  const items = (id: string) => frames(id).filter((f) => f.type === "item");
  const closed = (id: string) => t.deps.channel.closes.get(id)?.code;
  const ack = (id: string, cursor: string) => receive(t.deps, id, JSON.stringify({ action: "ack", cursor }));
  return { ...t, key, open, frames, items, closed, ack };
}

describe("push session", () => {
  it("answers subscribed, then pushes every item in feed order, each signed as in the feed", async () => {
    const t = await setup();
    const before = [await t.append(), await t.append()];
    const id = await t.open();
    const after = [await t.append(), await t.append(), await t.append()];
    await sweep(t.deps);
    expect(t.frames(id)[0]?.type).toBe("subscribed");
    expect(t.items(id).map((f) => f.item?.id)).toEqual([...before, ...after]);
    const receiver = new Webhook(t.endpoint.secret);
    for (const frame of t.items(id)) expect(() => receiver.verify(frame.item?.body as string, frame.item?.headers as never)).not.toThrow();
  });

  it("refuses with the issue's codes: bad key 4401, another tenant's or unknown endpoint 4404, a webhook endpoint 4409, a disabled one 4403", async () => {
    const t = await setup();
    await t.deps.endpoints.put(endpointFixture({ id: "ep_other", tenantId: "globex", kind: "polling", url: "" }));
    await t.deps.endpoints.put(endpointFixture({ id: "ep_hook", tenantId: "acme" }));
    await t.deps.endpoints.put(endpointFixture({ id: "ep_off", tenantId: "acme", kind: "polling", url: "", enabled: false }));
    expect(t.closed(await t.open("ep_1", "Bearer hrk_key_0123456789abcdef0123456789ab.nope"))).toBe(CLOSE.unauthorized);
    expect(t.closed(await t.open("ep_1", "Basic abc"))).toBe(CLOSE.unauthorized);
    expect(t.closed(await t.open("ep_other"))).toBe(CLOSE.notFound);
    expect(t.closed(await t.open("ep_nowhere"))).toBe(CLOSE.notFound);
    expect(t.closed(await t.open("ep_hook"))).toBe(CLOSE.notPolling);
    expect(t.closed(await t.open("ep_off"))).toBe(CLOSE.forbidden);
    // The admin key sees every tenant.
    expect(t.closed(await t.open("ep_other", "Bearer admin-key"))).toBeUndefined();
  });

  it("closes with 4401 any first frame that is not a subscribe, whatever it is", async () => {
    const t = await setup();
    const firsts = fc.oneof(
      fc.constant(JSON.stringify({ action: "ping" })),
      fc.constant(JSON.stringify({ action: "ack", cursor: "x.y" })),
      fc.jsonValue().map((v) => JSON.stringify(v)),
      fc.string({ maxLength: 40 }),
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(firsts, async (text) => {
        const id = `first_${n++}`;
        await connect(t.deps, id);
        await receive(t.deps, id, text);
        expect(t.closed(id)).toBe(CLOSE.unauthorized);
        expect(t.deps.connections.items.has(id)).toBe(false);
      }),
    );
  });

  it("pushes at most the window unacked; an ack lets as many more go", async () => {
    const t = await setup({ window: 3 });
    for (let i = 0; i < 10; i++) await t.append();
    const id = await t.open();
    expect(t.items(id)).toHaveLength(3);
    await sweep(t.deps);
    expect(t.items(id)).toHaveLength(3);
    await t.ack(id, t.items(id)[1]?.cursor as string);
    expect(t.items(id)).toHaveLength(5);
    await t.ack(id, t.items(id)[4]?.cursor as string);
    expect(t.items(id)).toHaveLength(8);
  });

  it("never pushes past a hole its writer may still fill, then pushes in number order once it is filled or closed", async () => {
    const t = await setup();
    const id = await t.open();
    const first = await t.append();
    // A writer that took a number and has not written yet.
    const held = await t.deps.feed.allocate("ep_1");
    await t.append();
    await sweep(t.deps);
    expect(t.items(id).map((f) => f.item?.id)).toEqual([first]);
    t.deps.clock.advance(HOLE_GRACE_MS + 1);
    await sweep(t.deps);
    expect(t.items(id)).toHaveLength(2);
    expect(await t.deps.feed.fill("ep_1", { seq: held, allocatedAt: new Date().toISOString() }, 0)).toBe(false);
  });

  it("loses and duplicates nothing across any run of appends, acks and reconnects from the last cursor", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("append"), count: fc.integer({ min: 1, max: 7 }) }),
      fc.record({ kind: fc.constant("ack") }),
      fc.record({ kind: fc.constant("reconnect") }),
      fc.record({ kind: fc.constant("sweep") }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 25 }), fc.integer({ min: 1, max: 6 }), async (ops, window) => {
        const t = await setup({ window });
        const appended: string[] = [];
        const seen: string[] = [];
        let id = await t.open();
        let read = 0;
        let last: string | undefined;
        const take = () => {
          for (const frame of t.items(id).slice(read)) {
            seen.push(frame.item?.id as string);
            last = frame.cursor;
          }
          read = t.items(id).length;
        };
        for (const step of ops) {
          if (step.kind === "append") for (let i = 0; i < step.count; i++) appended.push(await t.append());
          if (step.kind === "sweep") await sweep(t.deps);
          take();
          if (step.kind === "ack" && last) await t.ack(id, last);
          if (step.kind === "reconnect") {
            await t.deps.connections.remove(id);
            id = await t.open("ep_1", `Bearer ${t.key}`, last);
            read = 0;
          }
          take();
        }
        // Drain: ack until nothing more comes.
        for (let round = 0; round < appended.length + 2; round++) {
          await sweep(t.deps);
          take();
          if (last) await t.ack(id, last);
          take();
        }
        expect(seen).toEqual(appended);
      }),
      { numRuns: 60 },
    );
  });

  it("keeps going on appends and acks alone (no sweep): whatever a consumer acks, a window it frees refills", async () => {
    const op = fc.oneof(
      fc.record({ kind: fc.constant("append"), count: fc.integer({ min: 1, max: 12 }) }),
      fc.record({ kind: fc.constant("ack"), back: fc.nat(4) }),
    );
    await fc.assert(
      fc.asyncProperty(fc.array(op, { maxLength: 20 }), fc.integer({ min: 1, max: 8 }), async (ops, window) => {
        const t = await setup({ window });
        const appended: string[] = [];
        const id = await t.open();
        const seen = () => t.items(id).map((f) => f.item?.id);
        for (const step of ops) {
          if (step.kind === "append") {
            for (let i = 0; i < step.count; i++) appended.push(await t.append());
            // What the table's stream does in AWS after an append.
            await pushEndpoint(t.deps, "ep_1");
          } else {
            // Acks the item `back` places before the last one pushed (an ack that lags behind, as a consumer's may).
            const frame = t.items(id).at(-1 - step.back) ?? t.items(id).at(-1);
            if (frame?.cursor) await t.ack(id, frame.cursor);
          }
        }
        // The consumer acks the last item it has until nothing more comes.
        for (let round = 0, before = -1; round <= appended.length && before !== seen().length; round++) {
          before = seen().length;
          const last = t.items(id).at(-1)?.cursor;
          if (last) await t.ack(id, last);
        }
        expect(seen()).toEqual(appended);
      }),
      { numRuns: 60 },
    );
  });

  it("pushes in one pump the items a page left out for its byte budget, while the window has room", async () => {
    const t = await setup();
    const id = await t.open();
    // Each body about 1/20 of a page's byte budget: the read stops short of the window's 100 items.
    const bodies = Array.from({ length: 40 }, (_, n) => ({ n, pad: "x".repeat(Math.floor(MAX_PAGE_BYTES / 20)) }));
    const appended: string[] = [];
    for (const body of bodies) appended.push(await t.append("ep_1", body));
    await pushEndpoint(t.deps, "ep_1");
    expect(
      t
        .frames(id)
        .filter((f) => f.type === "item" || f.type === "item_ref")
        .map((f) => f.item?.id ?? f.id),
    ).toEqual(appended);
  });

  it("decodes an ack with the cursor key it remembers, and with the head's when the remembered one refuses it", async () => {
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ minLength: 16, maxLength: 32 }), async (bytes) => {
        const t = await setup({ window: 2 });
        for (let i = 0; i < 4; i++) await t.append();
        const id = await t.open();
        expect(t.items(id)).toHaveLength(2);
        // A key this container remembers wrongly (as after a head made anew): the ack still counts.
        t.deps.cursorKeys.remember("ep_1", Buffer.from(bytes).toString("base64"));
        await t.ack(id, t.items(id)[1]?.cursor as string);
        expect(t.closed(id)).toBeUndefined();
        expect(t.items(id)).toHaveLength(4);
        await t.ack(id, t.items(id)[3]?.cursor as string);
        expect(t.closed(id)).toBeUndefined();
      }),
      { numRuns: 20 },
    );
  });

  it("holds the caps per endpoint and per tenant with 4429", async () => {
    const t = await setup({ perEndpoint: 2, perTenant: 3 });
    await t.deps.endpoints.put(endpointFixture({ id: "ep_2", tenantId: "acme", kind: "polling", url: "" }));
    const a = [await t.open(), await t.open(), await t.open()];
    expect(a.map(t.closed)).toEqual([undefined, undefined, CLOSE.overCap]);
    const b = [await t.open("ep_2"), await t.open("ep_2")];
    expect(b.map(t.closed)).toEqual([undefined, CLOSE.overCap]);
  });

  it("closes a live connection when its key is revoked, its endpoint disabled or deleted, within RECHECK_MS", async () => {
    const t = await setup();
    const keyed = await t.open();
    const admin = await t.open("ep_1", "Bearer admin-key");
    await t.deps.apiKeys.delete((await t.deps.apiKeys.list(10)).items[0]?.id as string);
    t.deps.clock.advance(RECHECK_MS);
    await sweep(t.deps);
    expect(t.closed(keyed)).toBe(CLOSE.unauthorized);
    expect(t.closed(admin)).toBeUndefined();
    await t.deps.endpoints.put({ ...t.endpoint, enabled: false });
    t.deps.clock.advance(RECHECK_MS);
    await sweep(t.deps);
    expect(t.closed(admin)).toBe(CLOSE.forbidden);
  });

  it("refuses a deleted tenant's endpoint at subscribe, and closes a live connection to it at the next recheck (4404)", async () => {
    const t = await setup();
    const admin = await t.open("ep_1", "Bearer admin-key");
    await requestTenantDeletion(
      { tenants: t.deps.tenants, deletions: t.deps.tenants, clock: t.deps.clock, eraser: { steps: ["events"] } },
      "acme",
    );
    // The tenant-status cache is per container: a recheck after its bound sees the tombstone.
    t.deps.clock.advance(Math.max(RECHECK_MS, 31_000));
    await sweep(t.deps);
    expect(t.closed(admin)).toBe(CLOSE.notFound);
    expect(t.closed(await t.open("ep_1", "Bearer admin-key"))).toBe(CLOSE.notFound);
  });

  it("closes a portal session's connection when the session expires", async () => {
    const t = await setup();
    const token = t.authenticator.signPortal({ tenantId: "acme", expiresAt: Math.floor(t.deps.clock.now().getTime() / 1000) + 45 });
    const id = await t.open("ep_1", `Portal ${token}`);
    expect(t.frames(id)[0]?.type).toBe("subscribed");
    t.deps.clock.advance(RECHECK_MS);
    await sweep(t.deps);
    expect(t.closed(id)).toBeUndefined();
    t.deps.clock.advance(RECHECK_MS);
    await sweep(t.deps);
    expect(t.closed(id)).toBe(CLOSE.unauthorized);
    const limited = t.authenticator.signPortal({ tenantId: "acme", endpointIds: ["ep_9"], expiresAt: 2e9 });
    expect(t.closed(await t.open("ep_1", `Portal ${limited}`))).toBe(CLOSE.notFound);
  });

  it("closes at its deadline a connection that sent no subscribe (4401), whatever else connects, subscribes or leaves", async () => {
    // Caps above a plan's 8 connections: the caps have their own test, and a 4429 is not a deadline's doing.
    const t = await setup({ perEndpoint: 8, perTenant: 8 });
    // Each connection: silent, subscribed at some time within the deadline, or gone before it.
    const plans = fc.array(
      fc.record({ kind: fc.constantFrom("silent", "subscribes", "leaves"), atMs: fc.nat(SUBSCRIBE_DEADLINE_MS - 1) }),
      {
        minLength: 1,
        maxLength: 8,
      },
    );
    let n = 0;
    await fc.assert(
      fc.asyncProperty(plans, async (plan) => {
        const ids = plan.map(() => `deadline_${n++}`);
        for (const id of ids) await connect(t.deps, id);
        for (const [i, step] of [...plan.entries()].sort((a, b) => a[1].atMs - b[1].atMs)) {
          const id = ids[i] as string;
          if (step.kind === "subscribes") {
            await receive(t.deps, id, JSON.stringify({ action: "subscribe", endpointId: "ep_1", authorization: `Bearer ${t.key}` }));
          } else if (step.kind === "leaves") await disconnect(t.deps, id);
        }
        t.deps.clock.advance(SUBSCRIBE_DEADLINE_MS - 1);
        expect(t.deps.deadlines.due()).toEqual([]);
        t.deps.clock.advance(1);
        const due = t.deps.deadlines.due();
        expect(due.sort()).toEqual([...ids].sort());
        for (const id of due) await expireUnsubscribed(t.deps, id);
        plan.forEach((step, i) => {
          const id = ids[i] as string;
          expect(t.closed(id), `${step.kind} ${id}`).toBe(step.kind === "silent" ? CLOSE.unauthorized : undefined);
        });
        // A closed connection is forgotten; a subscribed one stays (and leaves the caps for the next run).
        for (const [i, step] of plan.entries()) if (step.kind === "subscribes") await disconnect(t.deps, ids[i] as string);
      }),
      { numRuns: 30 },
    );
  });

  it("closes by the sweep a silent connection whose deadline message was lost, only after the backstop; and one at its 2-hour limit (4000)", async () => {
    const t = await setup();
    await connect(t.deps, "silent");
    const live = await t.open();
    t.deps.deadlines.scheduled.length = 0;
    t.deps.clock.advance(SUBSCRIBE_DEADLINE_MS + DEADLINE_BACKSTOP_MS - 1);
    await sweep(t.deps);
    expect(t.closed("silent")).toBeUndefined();
    t.deps.clock.advance(1);
    await sweep(t.deps);
    expect(t.closed("silent")).toBe(CLOSE.unauthorized);
    for (let at = SUBSCRIBE_DEADLINE_MS; at < MAX_CONNECTION_MS; at += RECHECK_MS * 20) {
      t.deps.clock.advance(RECHECK_MS * 20);
      await sweep(t.deps);
    }
    t.deps.clock.time = t.deps.clock.time + MAX_CONNECTION_MS;
    await sweep(t.deps);
    expect(t.closed(live)).toBe(CLOSE.serverClosing);
  });

  it("closes with 4000 a window left unacked for the ack timeout, and forgets a gone connection (410)", async () => {
    const t = await setup({ window: 2 });
    const id = await t.open();
    await t.append();
    await sweep(t.deps);
    t.deps.clock.advance(ACK_TIMEOUT_MS + 1);
    await sweep(t.deps);
    expect(t.closed(id)).toBe(CLOSE.serverClosing);
    const gone = await t.open();
    t.deps.channel.gone.add(gone);
    await t.append();
    await sweep(t.deps);
    expect(t.deps.connections.items.has(gone)).toBe(false);
  });

  it("answers ping with pong, and a second subscribe or a forged ack cursor with 1008", async () => {
    const t = await setup();
    const id = await t.open();
    await receive(t.deps, id, JSON.stringify({ action: "ping" }));
    expect(t.frames(id).at(-1)).toEqual({ type: "pong" });
    await t.ack(id, "eyJ2IjoxfQ.AAAA");
    expect(t.closed(id)).toBe(CLOSE.badFrame);
    const again = await t.open();
    await receive(t.deps, again, JSON.stringify({ action: "subscribe", endpointId: "ep_1", authorization: `Bearer ${t.key}` }));
    expect(t.closed(again)).toBe(CLOSE.badFrame);
  });

  it("sends an item over 128 KB as item_ref, in its place in the order", async () => {
    const t = await setup();
    const id = await t.open();
    await t.append();
    const big = await t.append("ep_1", { pad: "x".repeat(200 * 1024) });
    await t.append();
    await sweep(t.deps);
    const kinds = t
      .frames(id)
      .filter((f) => f.type.startsWith("item"))
      .map((f) => f.type);
    expect(kinds).toEqual(["item", "item_ref", "item"]);
    expect(t.frames(id).find((f) => f.type === "item_ref")?.id).toBe(big);
  });
});

describe("pumps of one connection at once (concurrent invocations in AWS)", () => {
  it("never interleave nor repeat: whatever the timing, the connection gets every item once, in order", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 3 }), { minLength: 30, maxLength: 30 }),
        fc.integer({ min: 2, max: 6 }),
        fc.integer({ min: 1, max: 4 }),
        async (delays, pumps, window) => {
          const t = await setup({ window });
          const id = await t.open();
          // Every store call yields a scripted number of turns: pumps, acks and appends overlap.
          let turn = 0;
          const store = t.deps.connections;
          for (const name of ["get", "move", "poke", "ack"] as const) {
            const original = store[name].bind(store) as (...args: unknown[]) => Promise<unknown>;
            (store as unknown as Record<string, unknown>)[name] = async (...args: unknown[]) => {
              for (let i = delays[turn++ % delays.length] as number; i > 0; i--) await Promise.resolve();
              return original(...args);
            };
          }
          const appended: string[] = [];
          for (let round = 0; round < 6; round++) {
            const work: Promise<unknown>[] = [t.append().then((fi) => appended.push(fi))];
            const last = t.items(id).at(-1)?.cursor;
            if (last) work.push(t.ack(id, last));
            for (let p = 0; p < pumps; p++) work.push(sweep(t.deps));
            await Promise.all(work);
          }
          for (let round = 0; round < 20 && t.items(id).length < appended.length; round++) {
            const last = t.items(id).at(-1)?.cursor;
            if (last) await t.ack(id, last);
            await sweep(t.deps);
          }
          expect(t.items(id).map((f) => f.item?.id)).toEqual([...appended].sort());
        },
      ),
      { numRuns: 40 },
    );
  });
});
