import { execFile } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { afterEach, describe, expect, it } from "vitest";
import { WebSocketServer } from "ws";
import { LISTEN_FLAGS } from "../../cli/listen/options.ts";
import { generateSecret } from "../../functions/core/kernel/signing.ts";
import { type FakeFeed, startFakeFeed } from "../support/fake-feed.ts";
import { freePort } from "../support/free-port.ts";
import { type ListenProcess, type Received, startListen, startVerifyingReceiver } from "../support/listen-process.ts";
import { eventually } from "../support/local-stack.ts";

const KEY = "hrk_test";
const cleanups: (() => Promise<unknown>)[] = [];
afterEach(async () => {
  await Promise.all(cleanups.splice(0).map((cleanup) => cleanup()));
});

async function setup() {
  const feed = await startFakeFeed({ keys: [KEY] });
  const stateDir = mkdtempSync(join(tmpdir(), "hookrelay-listen-"));
  cleanups.push(
    () => feed.close(),
    async () => rmSync(stateDir, { recursive: true, force: true }),
  );
  return { feed, stateDir };
}

function run(args: string[], env: Record<string, string> = {}): ListenProcess {
  const listener = startListen(["listen", ...args], env);
  cleanups.push(() => listener.stop("SIGKILL"));
  return listener;
}

async function receiver(secret: () => string, options: Parameters<typeof startVerifyingReceiver>[1] = {}) {
  const r = await startVerifyingReceiver(secret, options);
  cleanups.push(() => r.close());
  return r;
}

/** The only endpoint of the fake feed (the temporary one the listener created). */
const onlyEndpoint = (feed: FakeFeed) => {
  expect(feed.endpoints.size).toBe(1);
  return [...feed.endpoints.values()][0]!;
};

const ids = (received: Received[]) => received.map((r) => r.webhookId);

describe("hookrelay listen", () => {
  it("creates a temporary polling endpoint, forwards each body with its headers so the receiver verifies it, and deletes it on SIGINT", async () => {
    const { feed, stateDir } = await setup();
    const secret = generateSecret();
    const r = await receiver(() => secret);
    const args = ["--forward-to", r.url, "--events", "invoice.paid,invoice.failed", "--secret", secret, "--state-dir", stateDir];
    const listener = run(args, { HOOKRELAY_API_URL: feed.url, HOOKRELAY_API_KEY: KEY });
    expect(await listener.secret()).toBe(secret);
    const endpoint = onlyEndpoint(feed);
    expect(endpoint).toMatchObject({ kind: "polling", eventTypes: ["invoice.failed", "invoice.paid"], secret });

    const first = feed.append(endpoint.id, { type: "invoice.paid", payload: { invoice: "in_1" } });
    const second = feed.append(endpoint.id, { type: "invoice.failed", payload: { invoice: "in_2" } });
    // The feed redelivers the first event: a new item with the same webhook-id.
    const again = feed.append(endpoint.id, { type: "invoice.paid", payload: { invoice: "in_1" }, eventId: first.eventId });
    await eventually(async () => r.received.length >= 3);

    expect(r.received).toEqual([
      { webhookId: first.messageId, body: first.body, verified: true },
      { webhookId: second.messageId, body: second.body, verified: true },
      { webhookId: first.messageId, body: again.body, verified: true },
    ]);
    await eventually(async () => listener.stdout().includes(`${second.messageId}  -> 204`));
    expect(listener.stdout()).toMatch(
      new RegExp(`^\\d\\d:\\d\\d:\\d\\d\\.\\d{3}  invoice\\.paid  ${first.messageId}  -> 204  \\d+ms$`, "m"),
    );

    expect(await listener.stop("SIGINT")).toBe(0);
    expect(feed.endpoints.size).toBe(0);
    expect(feed.calls).toContainEqual({ method: "DELETE", path: `/v1/endpoints/${endpoint.id}`, status: 204 });
    expect(listener.stderr()).toBe("");
  });

  it("loses nothing across kill -9 and a restart: the same endpoint resumes, a repeat carries the same webhook-id", async () => {
    const { feed, stateDir } = await setup();
    let secret = "";
    const r = await receiver(() => secret, { delayMs: 150 });
    const args = ["--forward-to", r.url, "--api", feed.url, "--key", KEY, "--state-dir", stateDir];
    const firstRun = run(args);
    secret = await firstRun.secret();
    const endpoint = onlyEndpoint(feed);
    const items = Array.from({ length: 10 }, (_, n) => feed.append(endpoint.id, { type: "order.created", payload: { n } }));
    await eventually(async () => r.received.length >= 3);
    await firstRun.stop("SIGKILL");

    const secondRun = run(args);
    expect(await secondRun.secret()).toBe(secret);
    await eventually(async () => new Set(ids(r.received)).size === items.length);

    expect(secondRun.stdout()).toContain(`${endpoint.id} (temporary, deleted when listen stops; resumed from the last run)`);
    expect(onlyEndpoint(feed).id).toBe(endpoint.id);
    expect([...new Set(ids(r.received))].sort()).toEqual(items.map((i) => i.messageId).sort());
    // Only the webhook in flight at the kill may come twice, and then with the same id and body.
    expect(r.received.length).toBeLessThanOrEqual(items.length + 1);
    const byId = new Map(items.map((i) => [i.messageId, i.body]));
    for (const got of r.received) expect(got).toEqual({ webhookId: got.webhookId, body: byId.get(got.webhookId), verified: true });
  });

  it("refuses a second listener with the same flags while the first runs", async () => {
    const { feed, stateDir } = await setup();
    const args = ["--forward-to", "http://127.0.0.1:4000/webhooks", "--api", feed.url, "--key", KEY, "--state-dir", stateDir];
    const first = run(args);
    await first.secret();
    const second = run(args);
    expect(await second.exited).toBe(1);
    expect(second.stderr()).toBe(
      `hookrelay listen: another listener (pid ${first.child.pid}) is running with the same flags; stop it first\n`,
    );
    expect(feed.endpoints.size).toBe(1);
    expect(first.child.exitCode).toBeNull();
  });

  it("keeps a webhook while the local server is down and delivers it, in order, once it is up", async () => {
    const { feed, stateDir } = await setup();
    const port = await freePort();
    const listener = run(["--forward-to", `http://127.0.0.1:${port}/webhooks`, "--api", feed.url, "--key", KEY, "--state-dir", stateDir]);
    const secret = await listener.secret();
    const endpoint = onlyEndpoint(feed);
    const items = [1, 2].map((n) => feed.append(endpoint.id, { type: "invoice.paid", payload: { n } }));
    await eventually(async () => /-> no answer \(ECONNREFUSED\).*attempt 2,/.test(listener.stdout()));

    const r = await receiver(() => secret, { port });
    await eventually(async () => r.received.length >= 2);
    expect(ids(r.received)).toEqual(items.map((i) => i.messageId));
    expect(r.received.every((got) => got.verified)).toBe(true);
  });

  it("retries 503 and passes on 500: the cursor moves past any answer except 429, 502, 503 and 504", async () => {
    const { feed, stateDir } = await setup();
    let secret = "";
    // First answer 503, second (the same webhook again) 500, then 204.
    const r = await receiver(() => secret, { answer: (index) => [503, 500][index] ?? 204 });
    const listener = run(["--forward-to", r.url, "--api", feed.url, "--key", KEY, "--state-dir", stateDir]);
    secret = await listener.secret();
    const endpoint = onlyEndpoint(feed);
    const first = feed.append(endpoint.id, { type: "invoice.paid", payload: {} });
    const second = feed.append(endpoint.id, { type: "invoice.paid", payload: {} });
    await eventually(async () => r.received.length >= 3);

    expect(ids(r.received)).toEqual([first.messageId, first.messageId, second.messageId]);
    await eventually(async () => listener.stdout().includes(`${second.messageId}  -> 204`));
    expect(listener.stdout()).toContain(`${first.messageId}  -> HTTP 503`);
    expect(listener.stdout()).toContain(`${first.messageId}  -> 500`);
  });

  it("reads an existing endpoint with --endpoint, keeps it on SIGINT and resumes from its cursor next time", async () => {
    const { feed, stateDir } = await setup();
    const created = (await (
      await fetch(`${feed.url}/v1/endpoints`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ kind: "polling" }),
      })
    ).json()) as { id: string; secret: string };
    const r = await receiver(() => created.secret);
    const args = ["--forward-to", r.url, "--endpoint", created.id, "--api", feed.url, "--key", KEY, "--state-dir", stateDir];
    const old = feed.append(created.id, { type: "a.b", payload: {} });
    const firstRun = run(args);
    expect(await firstRun.secret()).toBe(created.secret);
    await eventually(async () => firstRun.stdout().includes(`${old.messageId}  -> 204`));
    expect(await firstRun.stop("SIGINT")).toBe(0);
    expect(feed.endpoints.has(created.id)).toBe(true);

    const fresh = feed.append(created.id, { type: "a.b", payload: {} });
    const secondRun = run(args);
    await eventually(async () => secondRun.stdout().includes(`${fresh.messageId}  -> 204`));
    expect(ids(r.received)).toEqual([old.messageId, fresh.messageId]);
    expect(await secondRun.stop("SIGTERM")).toBe(0);
    expect(feed.endpoints.has(created.id)).toBe(true);
  });

  it("reads the feed at the URL the API's 400 use_feed_url names, and waits out a 429 too_many_polls for its Retry-After", async () => {
    const feed = await startFakeFeed({ keys: [KEY], feedElsewhere: true, maxPollsPerEndpoint: 1 });
    const stateDir = mkdtempSync(join(tmpdir(), "hookrelay-listen-"));
    cleanups.push(
      () => feed.close(),
      async () => rmSync(stateDir, { recursive: true, force: true }),
    );
    const created = (await (
      await fetch(`${feed.url}/v1/endpoints`, {
        method: "POST",
        headers: { authorization: `Bearer ${KEY}` },
        body: JSON.stringify({ kind: "polling" }),
      })
    ).json()) as { id: string; secret: string };
    // Another poll of the endpoint holds its only slot (the one a restart leaves behind) until the
    // append below wakes it: long enough for the listener to start and be refused on a loaded machine.
    const other = fetch(`${feed.feedUrl}v1/endpoints/${created.id}/feed?wait=20`, { headers: { authorization: `Bearer ${KEY}` } });
    cleanups.push(() => other.then((r) => r.text()).catch(() => undefined));
    const r = await receiver(() => created.secret);
    const listener = run(["--forward-to", r.url, "--endpoint", created.id, "--api", feed.url, "--key", KEY, "--state-dir", stateDir]);
    await listener.secret();
    await eventually(async () => /feed: the API answered 429 too_many_polls[^\n]*again in \d+\.\ds/.test(listener.stdout()));
    const item = feed.append(created.id, { type: "invoice.paid", payload: { n: 1 } });
    await eventually(async () => r.received.length >= 1);
    expect(ids(r.received)).toEqual([item.messageId]);
    expect(feed.calls).toContainEqual({ method: "GET", path: `/v1/endpoints/${created.id}/feed`, status: 400 });
    const statuses = feed.feedCalls.filter((c) => c.path.endsWith("/feed")).map((c) => c.status);
    expect(statuses).toContain(429);
    expect(statuses).toContain(200);
    // Once moved, every read went to the feed's URL: the API saw one long poll only.
    expect(
      feed.calls.filter((c) => c.path.endsWith("/feed")),
      JSON.stringify([feed.calls, feed.feedCalls, listener.stdout()]),
    ).toHaveLength(1);
  });

  it("stops with one line and exit code 1 on a wrong key, an unreachable API or a webhook endpoint", async () => {
    const { feed, stateDir } = await setup();
    const base = ["--forward-to", "http://127.0.0.1:4000/webhooks", "--state-dir", stateDir];

    const wrongKey = run([...base, "--api", feed.url, "--key", "hrk_wrong"]);
    expect(await wrongKey.exited).toBe(1);
    expect(wrongKey.stderr()).toBe("hookrelay listen: the API refused the key (401 unauthorized); check --key or HOOKRELAY_API_KEY\n");
    expect(wrongKey.stdout()).toBe("");

    const down = run([...base, "--api", `http://127.0.0.1:${await freePort()}`, "--key", KEY]);
    expect(await down.exited).toBe(1);
    expect(down.stderr()).toMatch(/^hookrelay listen: cannot reach the API at http:\/\/127\.0\.0\.1:\d+: ECONNREFUSED\n$/);

    const webhook = run([...base, "--api", feed.url, "--key", KEY, "--endpoint", feed.addWebhookEndpoint(KEY)]);
    expect(await webhook.exited).toBe(1);
    expect(webhook.stderr()).toMatch(/^hookrelay listen: that endpoint delivers by POST, not a feed;[^\n]*\n$/);
    expect(feed.endpoints.size).toBe(1);
  });

  it("stops with one line naming 1002 when the server at --ws answers with frames that are not the push protocol's", async () => {
    const { feed, stateDir } = await setup();
    // Another WebSocket server (the ws library's) at the URL: it answers the subscribe with text that is no push frame.
    const other = new WebSocketServer({ host: "127.0.0.1", port: 0 });
    await new Promise<void>((resolve) => other.once("listening", () => resolve()));
    cleanups.push(() => new Promise((resolve) => other.close(resolve)));
    const frames: string[] = [];
    other.on("connection", (socket) => {
      socket.on("message", (data) => {
        frames.push(String(data));
        socket.send("<html>hello</html>");
      });
    });
    const url = `ws://127.0.0.1:${(other.address() as AddressInfo).port}`;
    const args = ["--forward-to", "http://127.0.0.1:4000/webhooks", "--state-dir", stateDir, "--transport", "ws", "--ws", url];
    const listener = run([...args, "--api", feed.url, "--key", KEY]);
    expect(await listener.exited).toBe(1);
    expect(JSON.parse(frames[0] ?? "{}")).toMatchObject({ action: "subscribe" });
    expect(listener.stderr()).toMatch(
      /^hookrelay listen: the WebSocket push refused: the server at the WebSocket URL does not speak the push protocol \(1002\);[^\n]*\n$/,
    );
  });

  it("refuses a forward-to that is not http(s) and a misspelled flag with exit code 2", async () => {
    const notHttp = run(["--forward-to", "ftp://127.0.0.1/x", "--api", "http://127.0.0.1:1", "--key", KEY]);
    expect(await notHttp.exited).toBe(2);
    expect(notHttp.stderr()).toBe("hookrelay listen: --forward-to must be an http:// or https:// URL, got ftp://127.0.0.1/x\n");
    const typo = run(["--forward", "http://127.0.0.1:4000"]);
    expect(await typo.exited).toBe(2);
    expect(typo.stderr()).toMatch(/^hookrelay listen: Unknown option '--forward'/);
  });

  it("runs as `npx hookrelay` from the repository, and --help explains every flag", async () => {
    const root = fileURLToPath(new URL("../..", import.meta.url));
    const { stdout } = await promisify(execFile)("npx", ["--no-install", "hookrelay", "listen", "--help"], { cwd: root });
    for (const flag of Object.keys(LISTEN_FLAGS)) expect(stdout).toMatch(new RegExp(`^ +(-h, )?--${flag}\\b`, "m"));
    expect(stdout).toContain("Guarantees:");
  });
});
