import { describe, expect, it } from "vitest";
import { HookrelayClient, HookrelayError } from "../../clients/typescript/src/index.ts";

/** A fetch that answers from a script and remembers what it was sent. */
function scripted(answers: { status: number; body?: unknown; headers?: Record<string, string> }[]) {
  const sent: Request[] = [];
  const fetch = async (request: Request) => {
    sent.push(request);
    const answer = answers[sent.length - 1] ?? { status: 500 };
    const body = answer.body === undefined ? null : JSON.stringify(answer.body);
    return new Response(body, { status: answer.status, headers: { "content-type": "application/json", ...answer.headers } });
  };
  return { sent, fetch };
}

const accepted = { id: "evt_1", type: "a.b", tenantId: "default", createdAt: "2026-12-01T00:00:00.000Z", endpoints: 1 };
const busy = { status: 503, body: { error: { code: "dependency_unavailable", message: "later" } }, headers: { "retry-after": "0" } };

describe("HookrelayClient (fake fetch)", () => {
  it("sends the key as a bearer token and one idempotency key on every repeat of an emit that failed on our side", async () => {
    const { sent, fetch } = scripted([busy, busy, { status: 202, body: accepted }]);
    const client = new HookrelayClient({ baseUrl: "http://127.0.0.1:1", apiKey: "k1", fetch, maxRetryDelayMs: 0 });
    expect(await client.emit({ type: "a.b", payload: 1 })).toEqual({ ...accepted, replayed: false });
    expect(sent).toHaveLength(3);
    expect(sent.map((r) => r.headers.get("authorization"))).toEqual(["Bearer k1", "Bearer k1", "Bearer k1"]);
    const keys = new Set(sent.map((r) => r.headers.get("idempotency-key")));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("gives up after emitRetries, and never repeats a client error", async () => {
    const failing = scripted([busy, busy]);
    const client = new HookrelayClient({
      baseUrl: "http://127.0.0.1:1",
      apiKey: "k",
      fetch: failing.fetch,
      emitRetries: 1,
      maxRetryDelayMs: 0,
    });
    await expect(client.emit({ type: "a.b", payload: 1 })).rejects.toMatchObject({
      status: 503,
      code: "dependency_unavailable",
      retryAfterSeconds: 0,
    });
    expect(failing.sent).toHaveLength(2);
    const invalid = scripted([{ status: 422, body: { error: { code: "validation_failed", message: "no", details: [] } } }]);
    const other = new HookrelayClient({ baseUrl: "http://127.0.0.1:1", apiKey: "k", fetch: invalid.fetch, maxRetryDelayMs: 0 });
    const error = await other.emit({ type: "a.b", payload: 1 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(HookrelayError);
    expect(error).toMatchObject({ name: "HookrelayError", code: "validation_failed", message: "no" });
    expect(invalid.sent).toHaveLength(1);
  });

  it("follows nextCursor until a page says null", async () => {
    const page = (ids: string[], nextCursor: string | null) => ({
      status: 200,
      body: { items: ids.map((id) => ({ id, tenantId: "t", name: id, createdAt: "2026-12-01T00:00:00.000Z" })), nextCursor },
    });
    const { sent, fetch } = scripted([page(["a", "b"], "c1"), page(["c"], null)]);
    const client = new HookrelayClient({ baseUrl: "http://127.0.0.1:1/", apiKey: "k", fetch });
    expect((await client.listApiKeys({ limit: 2 }).all()).map((k) => k.id)).toEqual(["a", "b", "c"]);
    expect(sent.map((r) => new URL(r.url).search)).toEqual(["?limit=2", "?limit=2&cursor=c1"]);
  });

  it("sends long polls to the feed URL a 400 use_feed_url names, and keeps sending them there", async () => {
    const moved = {
      status: 400,
      body: {
        error: {
          code: "use_feed_url",
          message: "elsewhere",
          details: [{ path: "wait", message: "elsewhere", feedUrl: "http://127.0.0.2:9/" }],
        },
      },
    };
    const empty = (cursor: string) => ({ status: 200, body: { items: [], cursor } });
    const { sent, fetch } = scripted([moved, empty("c1"), empty("c2")]);
    const client = new HookrelayClient({ baseUrl: "http://127.0.0.1:1", apiKey: "k", fetch });
    expect(await client.readFeed("ep_1", { wait: 20 })).toEqual({ items: [], cursor: "c1" });
    expect(await client.readFeed("ep_1", { wait: 20, cursor: "c1" })).toEqual({ items: [], cursor: "c2" });
    expect(sent.map((r) => `${new URL(r.url).host}${new URL(r.url).pathname}`)).toEqual([
      "127.0.0.1:1/v1/endpoints/ep_1/feed",
      "127.0.0.2:9/v1/endpoints/ep_1/feed",
      "127.0.0.2:9/v1/endpoints/ep_1/feed",
    ]);
    expect(sent.every((r) => r.headers.get("authorization") === "Bearer k")).toBe(true);
  });

  it("sends long polls straight to the feedUrl it was given, the rest to baseUrl", async () => {
    const { sent, fetch } = scripted([
      { status: 200, body: { items: [], cursor: "c" } },
      { status: 200, body: { status: "ok", feedUrl: null } },
    ]);
    const client = new HookrelayClient({ baseUrl: "http://127.0.0.1:1", feedUrl: "http://127.0.0.3:7/", apiKey: "k", fetch });
    await client.readFeed("ep_1", { wait: 5 });
    await client.health();
    expect(sent.map((r) => new URL(r.url).host)).toEqual(["127.0.0.3:7", "127.0.0.1:1"]);
  });

  it("follows a feed through a 429 too_many_polls: waits its Retry-After, then reads the same cursor again", async () => {
    const tooMany = {
      status: 429,
      body: {
        error: {
          code: "too_many_polls",
          message: "busy",
          details: [{ path: "wait", message: "busy", scope: "endpoint", limit: 2, retryAfterSeconds: 0 }],
        },
      },
      headers: { "retry-after": "0" },
    };
    const item = {
      id: "fi_1",
      eventId: "evt_1",
      eventType: "a.b",
      timestamp: "2026-12-01T00:00:00.000Z",
      payload: {},
      body: "{}",
      headers: {},
    };
    const { sent, fetch } = scripted([tooMany, { status: 200, body: { items: [item], cursor: "c2" } }]);
    const client = new HookrelayClient({ baseUrl: "http://127.0.0.1:1", apiKey: "k", fetch });
    const stop = new AbortController();
    const cursors: string[] = [];
    for await (const got of client.feed("ep_1", { cursor: "c1", signal: stop.signal, onCursor: (c) => cursors.push(c) })) {
      expect(got.id).toBe("fi_1");
      stop.abort();
    }
    expect(sent.map((r) => new URL(r.url).searchParams.get("cursor"))).toEqual(["c1", "c1"]);
    expect(cursors).toEqual(["c2"]);
    const refused = await new HookrelayClient({ baseUrl: "http://127.0.0.1:1", apiKey: "k", fetch: scripted([tooMany]).fetch })
      .readFeed("ep_1", { wait: 20 })
      .catch((e: unknown) => e);
    expect(refused).toMatchObject({ status: 429, code: "too_many_polls", retryAfterSeconds: 0 });
  });
});
