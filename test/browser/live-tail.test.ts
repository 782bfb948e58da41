import type { Page, WebSocketRoute } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startBrowser } from "../support/browser.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";

/*
 * The console's live tail of a polling endpoint in Debian's chromium against the local stack: events
 * go through the real intake, worker and feed, and the page follows the feed over the WebSocket push.
 * Playwright's WebSocket route sits between the page and the stack's server: it records the frames
 * the page sends and closes the page's socket with a code of our choosing, as API Gateway would.
 */
const KEY = "local-admin-key";
const XSS = `<img src=x onerror="window.__xss=1">`;

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startBrowser>>;
let page: Page;
let endpointId = "";
const routes: WebSocketRoute[] = [];
/** Each socket the page opened: its URL, the frames it sent and the frames the stack sent it. */
const sent: { url: string; frames: Record<string, unknown>[]; received: Record<string, unknown>[] }[] = [];
let emitted = 0;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack(), startBrowser()]);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  // On the context: the portal's tab below is routed too.
  await browser.context.routeWebSocket(
    (url) => url.href.startsWith(stack.websocketUrl),
    (route) => {
      const server = route.connectToServer();
      const socket = { url: route.url(), frames: [] as Record<string, unknown>[], received: [] as Record<string, unknown>[] };
      sent.push(socket);
      routes.push(route);
      route.onMessage((message) => {
        socket.frames.push(JSON.parse(String(message)));
        server.send(message);
      });
      server.onMessage((message) => {
        socket.received.push(JSON.parse(String(message)));
        route.send(message);
      });
    },
  );
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

async function emit(count: number, note = "") {
  emitted += count;
  for (let i = 0; i < count; i += 10) {
    const events = Array.from({ length: Math.min(10, count - i) }, (_, k) => ({ type: "tail.test", payload: { n: i + k, note } }));
    expect((await stack.api("POST", "/v1/events/batch", { events })).status).toBeLessThan(300);
  }
}

/** Every id of the endpoint's feed, in feed order, read by polling. */
async function feedIds(): Promise<string[]> {
  const ids: string[] = [];
  let cursor: string | undefined;
  for (;;) {
    const page = await stack.api("GET", `/v1/endpoints/${endpointId}/feed?limit=100${cursor ? `&cursor=${cursor}` : ""}`);
    ids.push(...page.json.items.map((item: { id: string }) => item.id));
    if (page.json.items.length === 0) return ids;
    cursor = page.json.cursor;
  }
}

/** The ids the live tail shows, newest first. */
const shown = () => page.locator(".live-items li").evaluateAll((items) => items.map((li) => li.getAttribute("data-id")));
const state = () => page.locator(".live-tail").getAttribute("data-state");

describe("the console's live tail", () => {
  it("allows the push's origin in the console's policy and follows a polling endpoint with the key in the first frame only", async () => {
    const created = await stack.api("POST", "/v1/endpoints", { kind: "polling", eventTypes: ["tail.test"] });
    expect(created.status).toBe(201);
    endpointId = created.json.id;
    await emit(3);
    await eventually(async () => (await feedIds()).length === 3);
    const response = await page.goto(`${stack.apiUrl}/console`);
    const origin = new URL(stack.websocketUrl);
    expect(response?.headers()["content-security-policy"]).toMatch(
      new RegExp(`connect-src 'self' ws://${origin.host.replaceAll(".", "\\.")};`),
    );
    await page.getByLabel("API key").fill(KEY);
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Endpoints" }).waitFor();
    await page.goto(`${stack.apiUrl}/console#/endpoints/${endpointId}`);
    await page.getByRole("heading", { name: "Live tail" }).waitFor();
    await eventually(async () => (await state()) === "live");
    await eventually(async () => (await shown()).length === 3);
    expect(await shown()).toEqual((await feedIds()).reverse());
    expect(sent).toHaveLength(1);
    expect(sent[0]?.url).not.toContain(KEY);
    expect(sent[0]?.frames[0]).toEqual({ action: "subscribe", endpointId, authorization: `Bearer ${KEY}` });
  });

  it("shows items as they are appended, as text, and acks them", async () => {
    await emit(5, XSS);
    await eventually(async () => (await shown()).length === 8);
    expect(await shown()).toEqual((await feedIds()).reverse());
    expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
    expect(await page.locator(".live-items img").count()).toBe(0);
    await eventually(async () => sent[0]?.frames.some((f) => f.action === "ack") === true);
  });

  it.each([4000, 1001])("reconnects after %i from its last cursor: nothing lost, nothing twice", async (code) => {
    const before = sent.length;
    const last = sent.at(-1);
    await routes.at(-1)?.close({ code, reason: "test" });
    await eventually(async () => sent.length === before + 1 && (await state()) === "live");
    // The new subscribe carries the cursor of the last item the page was sent (acked or not yet).
    const resumed = sent.at(-1)?.frames[0] as { cursor?: string };
    expect(resumed.cursor).toEqual(expect.any(String));
    expect(resumed.cursor).toBe(last?.received.filter((f) => f.type === "item").at(-1)?.cursor);
    await emit(2);
    const total = (await feedIds()).length;
    await eventually(async () => (await shown()).length === total);
    expect(await shown()).toEqual((await feedIds()).reverse());
  });

  it("keeps only the newest 50 items", async () => {
    await emit(60);
    const ids = await eventually(async () => {
      const all = await feedIds();
      return all.length === emitted && (await shown())[0] === all.at(-1) ? all : undefined;
    }, 60_000);
    expect(await shown()).toEqual(ids.slice(-50).reverse());
  });

  it("stays closed after a refusal such as 4401 and says so", async () => {
    const before = sent.length;
    // The stack's server sends a `close` frame, then closes; API Gateway closes with 1000 after it.
    await routes.at(-1)?.send(JSON.stringify({ type: "close", code: 4401, reason: "revoked" }));
    await routes.at(-1)?.close({ code: 1000, reason: "" });
    await eventually(async () => (await state()) === "closed");
    expect(await page.locator(".live-tail [role=status]").textContent()).toContain("4401");
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(sent).toHaveLength(before);
    await page.getByRole("button", { name: "Resume" }).click();
    await eventually(async () => sent.length === before + 1 && (await state()) === "live");
  });

  it("closes its socket once the page leaves the endpoint", async () => {
    const closed = new Promise<void>((resolve) => routes.at(-1)?.onClose(() => resolve()));
    await page.goto(`${stack.apiUrl}/console#/events`);
    await closed;
    expect(await page.locator(".live-tail").count()).toBe(0);
  });
  it("follows on the portal page with the portal session in the first frame (Portal <token>), never the URL", async () => {
    const session = await stack.api("POST", "/v1/portal-sessions", { tenantId: "default", endpointIds: [endpointId] });
    expect(session.status).toBe(201);
    const { url, token } = session.json as { url: string; token: string };
    const before = sent.length;
    const portal = await browser.context.newPage();
    try {
      await portal.goto(url);
      await portal.getByRole("heading", { name: "Endpoints" }).waitFor();
      await portal.goto(`${stack.apiUrl}/portal#/endpoints/${endpointId}`);
      await eventually(async () => (await portal.locator(".live-tail").getAttribute("data-state")) === "live");
      const opened = sent.slice(before);
      expect(opened).toHaveLength(1);
      expect(opened[0]?.url).not.toContain(token);
      expect(opened[0]?.frames[0]).toEqual({ action: "subscribe", endpointId, authorization: `Portal ${token}` });
      const total = (await feedIds()).length;
      await eventually(async () => (await portal.locator(".live-items li").count()) === Math.min(total, 50));
    } finally {
      await portal.close();
    }
  });
});
