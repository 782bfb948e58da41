import { writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seriousViolations, startBrowser } from "../support/browser.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * The console in Debian's chromium against the local stack: the page is driven as an operator
 * would, events are emitted through the API, and receivers are real HTTP servers on 127.0.0.1.
 */
const XSS = `<img src=x onerror="window.__xss=1;alert(1)"><script>window.__xss=2;alert(2)</script>`;
const DOCS = fileURLToPath(new URL("../../docs/", import.meta.url));

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startBrowser>>;
let page: Page;
let good: Awaited<ReturnType<typeof startReceiver>>;
let bad: Awaited<ReturnType<typeof startReceiver>>;
let badId = "";
let eventId = "";
const eventIds: string[] = [];
const dialogs: string[] = [];

beforeAll(async () => {
  [stack, good, bad, browser] = await Promise.all([
    startStack({
      env: { RETRY_SCHEDULE: "1,1", DELIVERY_TIMEOUT_MS: "1500", CIRCUIT_COOLDOWN_SECONDS: "1", CIRCUIT_MAX_COOLDOWN_SECONDS: "2" },
    }),
    startReceiver(() => ({ status: 200, body: "ok" })),
    startReceiver(() => ({ status: 500, headers: { "content-type": "text/html" }, body: XSS })),
    startBrowser(),
  ]);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on("dialog", (dialog) => {
    dialogs.push(`${dialog.type()}: ${dialog.message()}`);
    void dialog.accept();
  });
});

afterAll(async () => {
  await browser?.close();
  await Promise.all([good?.close(), bad?.close()]);
  await stack?.stop();
});

const consoleUrl = (fragment = "") => `${stack.apiUrl}/console${fragment}`;

/** A screenshot for docs/console.md, written to docs/ when SCREENSHOTS=1 (so a plain test run changes no file). */
async function shot(name: string, fullPage = false) {
  const png = await page.screenshot({ fullPage });
  expect(png.subarray(1, 4).toString()).toBe("PNG");
  if (process.env.SCREENSHOTS === "1") writeFileSync(`${DOCS}${name}.png`, png);
}

/** Nothing a stranger sent ran or became an element. */
async function expectInert() {
  expect(await page.evaluate(() => (globalThis as unknown as { __xss?: number }).__xss)).toBeUndefined();
  expect(await page.locator("img").count()).toBe(0);
  expect(await page.locator("script").count()).toBe(1);
  expect(dialogs.filter((d) => !d.startsWith("confirm: Rotate the secret?"))).toEqual([]);
}

describe("console", () => {
  it("is served with a strict policy and keeps the key out of the URL and local storage", async () => {
    const response = await page.goto(consoleUrl());
    const headers = response?.headers() ?? {};
    expect(headers["content-security-policy"]).toContain("script-src 'self'");
    expect(headers["content-security-policy"]).toContain("frame-ancestors 'none'");
    expect(headers["content-security-policy"]).not.toContain("unsafe-inline");
    expect(headers["x-frame-options"]).toBe("DENY");
    expect(headers["x-content-type-options"]).toBe("nosniff");
    await page.getByLabel("API key").fill("not-a-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("Send a valid API key");
    await shot("console-sign-in");
    await page.getByLabel("API key").fill("local-admin-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("heading", { name: "Endpoints" }).waitFor();
    expect(page.url()).not.toContain("local-admin-key");
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain("local-admin-key");
    expect(await page.evaluate(() => sessionStorage.getItem("hookrelay.key"))).toBe("local-admin-key");
    expect(await page.locator("main .empty").textContent()).toContain("No endpoints yet");
  });

  it("registers an endpoint through the page", async () => {
    await page.getByRole("link", { name: "New endpoint" }).click();
    await page.getByLabel("URL", { exact: true }).fill(`${bad.url}/hook`);
    await page.getByLabel("Description").fill(XSS);
    await page.getByLabel("Event types").fill("order.created");
    await page.getByRole("button", { name: "Create endpoint" }).click();
    await page.getByRole("heading", { name: `${bad.url}/hook` }).waitFor();
    badId = decodeURIComponent(/#\/endpoints\/([^?]+)/.exec(page.url())?.[1] ?? "");
    const listed = await stack.api("GET", "/v1/endpoints");
    expect(listed.json.items.map((e: { id: string; description: string }) => [e.id, e.description])).toEqual([[badId, XSS]]);
    expect((await stack.api("POST", "/v1/endpoints", { url: `${good.url}/hook`, eventTypes: ["order.created"] })).status).toBe(201);
  });

  it("shows events, their deliveries and a failed attempt with the receiver's answer, as text", async () => {
    for (let n = 0; n < 3; n++) {
      const emitted = await stack.api("POST", "/v1/events", { type: "order.created", payload: { n, note: XSS } });
      expect(emitted.status).toBe(202);
      eventId = emitted.json.id;
      eventIds.push(eventId);
    }
    await stack.api("POST", "/v1/events", { type: "order.other", payload: { n: 9 } });
    await eventually(async () => {
      const attempts = await stack.api("GET", `/v1/endpoints/${badId}/attempts?status=failed`);
      return attempts.json.items.length >= 3 && good.requests.length >= 3;
    });
    await page.goto(consoleUrl("#/events?type=order.created"));
    await page.getByRole("link", { name: eventId }).waitFor();
    expect(await page.locator("main tbody tr").count()).toBe(3);
    await shot("console-events");
    await page.getByRole("link", { name: eventId }).click();
    await page.getByRole("heading", { name: "Event order.created" }).waitFor();
    expect(JSON.parse((await page.getByLabel("Payload").textContent()) ?? "")).toEqual({ n: 2, note: XSS });
    expect(await page.getByRole("table", { name: "Deliveries" }).locator("tbody tr").count()).toBe(2);
    await shot("console-event");
    await page.goto(consoleUrl(`#/endpoints/${badId}?astatus=failed`));
    const attempts = page.getByRole("table", { name: "Attempts" });
    await attempts.waitFor();
    expect(await attempts.locator("tbody tr").first().textContent()).toContain("500");
    await attempts.getByText("Response body").first().click();
    expect(await attempts.getByLabel("Response body").first().textContent()).toBe(XSS);
    await expectInert();
  });

  it("draws the last 24 hours from the delivery log", async () => {
    // Retries go on in the background: wait until every delivery to the failing endpoint is exhausted, so the log is settled.
    await eventually(async () => {
      const views = await Promise.all(eventIds.map((id) => stack.api("GET", `/v1/events/${id}`)));
      return views.every((v) => v.json.deliveries.find((d: { endpointId: string }) => d.endpointId === badId)?.status === "exhausted");
    }, 30_000);
    await page.goto(consoleUrl(`#/endpoints/${badId}`));
    const chart = page.locator("svg.chart");
    await chart.waitFor();
    // Every request so far failed: red bars only, each the full height of the plot.
    expect(await chart.locator("rect.bar:not(.bad)").count()).toBe(0);
    const heights = await chart.locator("rect.bar.bad").evaluateAll((rects) => rects.map((r) => Number(r.getAttribute("height"))));
    expect(heights.length).toBeGreaterThan(0);
    expect(heights.every((h) => h > 100)).toBe(true);
    const sent = (await stack.api("GET", `/v1/endpoints/${badId}/stats`)).json.hours.reduce(
      (n: number, h: { sent: number }) => n + h.sent,
      0,
    );
    expect(await page.locator("figcaption").textContent()).toContain(`0 of ${sent} requests succeeded`);
    await shot("console-endpoint", true);
  });

  it("replays an event to its endpoints", async () => {
    const before = good.requests.length;
    await page.goto(consoleUrl(`#/events/${eventId}`));
    await page.getByRole("button", { name: "Replay to every endpoint" }).click();
    await expect(page.getByRole("status").textContent()).resolves.toContain("Replay queued for 2 endpoint(s)");
    await eventually(async () => good.requests.length > before);
  });

  it("recovers an endpoint's failures over a window and shows the recovery's progress", async () => {
    bad.script = () => ({ status: 200, body: "fixed" });
    const before = bad.requests.length;
    await page.goto(consoleUrl(`#/endpoints/${badId}`));
    await page.getByRole("button", { name: "Recover failed deliveries" }).click();
    await page.getByRole("heading", { name: /^Recovery .*: completed$/ }).waitFor({ timeout: 20_000 });
    expect(page.url()).toMatch(/recovery=/);
    const resent = Number(await page.locator("dt:text-is('Deliveries resent') + dd").textContent());
    expect(resent).toBeGreaterThanOrEqual(3);
    // Each of the three failed events reaches the mended receiver again (after the circuit's short cool-down).
    await eventually(async () => [0, 1, 2].every((n) => bad.requests.slice(before).some((r) => JSON.parse(r.body).n === n)));
  });

  it("reveals and rotates the signing secret", async () => {
    await page.goto(consoleUrl(`#/endpoints/${badId}`));
    await page.getByRole("button", { name: "Reveal secret" }).click();
    const secret = page.locator("code.secret");
    await secret.waitFor();
    const first = await secret.textContent();
    expect(first).toMatch(/^whsec_/);
    await page.getByRole("button", { name: "Rotate secret" }).click();
    await page.getByText("Rotated: receivers must switch").waitFor();
    const second = await secret.textContent();
    expect(second).toMatch(/^whsec_/);
    expect(second).not.toBe(first);
    expect((await stack.api("GET", `/v1/endpoints/${badId}/secret`)).json.secret).toBe(second);
  });

  it("disables and enables an endpoint", async () => {
    await page.getByRole("button", { name: "Disable" }).click();
    await page.getByText("disabled (manual)").waitFor();
    expect((await stack.api("GET", `/v1/endpoints/${badId}`)).json.enabled).toBe(false);
    await page.getByRole("button", { name: "Enable" }).click();
    await page.getByRole("button", { name: "Disable" }).waitFor();
    expect((await stack.api("GET", `/v1/endpoints/${badId}`)).json.enabled).toBe(true);
  });

  it("shows where a polling endpoint's feed is read: the feedUrl /v1/health tells, here the API's own", async () => {
    const polling = (await stack.api("POST", "/v1/endpoints", { kind: "polling", tenantId: "console-feed" })).json;
    expect((await stack.api("GET", "/v1/health")).json.feedUrl).toBeNull();
    await page.goto(consoleUrl(`#/endpoints/${polling.id}`));
    await page.getByRole("heading", { name: "polling endpoint (feed)" }).waitFor();
    const feed = page.locator("dd code", { hasText: "/feed" });
    expect(await feed.textContent()).toBe(`GET ${stack.apiUrl}/v1/endpoints/${polling.id}/feed`);
  });

  it("edits a polling endpoint without the URL and rate limit the API refuses for it", async () => {
    const polling = (await stack.api("POST", "/v1/endpoints", { kind: "polling", tenantId: "console-feed" })).json;
    await page.goto(consoleUrl(`#/endpoints/${polling.id}/edit`));
    await page.getByLabel("Description").fill("read by a worker");
    expect(await page.getByLabel("URL", { exact: true }).count()).toBe(0);
    expect(await page.getByLabel("Rate limit (deliveries per second)").count()).toBe(0);
    await page.getByRole("button", { name: "Save" }).click();
    await page.getByRole("heading", { name: "polling endpoint (feed)" }).waitFor();
    expect((await stack.api("GET", `/v1/endpoints/${polling.id}`)).json.description).toBe("read by a worker");
    // Its missing URL is not text to search: "undefined" matches nothing, its description does.
    for (const [q, shown] of [
      ["undefined", 0],
      ["worker", 1],
    ] as const) {
      await page.goto(consoleUrl(`#/endpoints?tenant=console-feed&q=${q}`));
      await page
        .getByRole("searchbox")
        .and(page.locator(`[value="${q}"]`))
        .waitFor();
      await page.waitForFunction(() => !(globalThis as any).document.querySelector("[aria-busy='true']"));
      expect({ q, shown: await page.getByRole("link", { name: "polling endpoint (feed)" }).count() }).toEqual({ q, shown });
    }
  });

  it("manages tenants' API keys (admin only) and shows the API's errors", async () => {
    await page.goto(consoleUrl("#/keys"));
    await page.getByLabel("Tenant").fill("acme");
    await page.getByLabel("Name").fill("billing");
    await page.getByRole("button", { name: "Create key" }).click();
    expect(await page.locator("code.secret").textContent()).toMatch(/\S{20,}/);
    await page.getByRole("button", { name: "Refresh the list" }).click();
    await page.getByRole("link", { name: "acme" }).waitFor();
    await shot("console-keys");
    await page.goto(consoleUrl("#/events/ev_missing"));
    await expect(page.getByRole("alert").textContent()).resolves.toContain("No event ev_missing");
  });

  it("has no serious accessibility violations on its main screens, and nothing a stranger sent ran", async () => {
    const screens = ["#/endpoints", `#/endpoints/${badId}`, "#/events", `#/events/${eventId}`, "#/keys", "#/endpoints/new"];
    for (const screen of screens) {
      await page.goto(consoleUrl(screen));
      await page.waitForSelector("main h1");
      await page.waitForFunction(() => !(globalThis as any).document.querySelector("[aria-busy='true']"));
      expect({ screen, violations: await seriousViolations(page) }).toEqual({ screen, violations: [] });
      await expectInert();
    }
    await page.goto(consoleUrl("#/endpoints"));
    await page.getByRole("link", { name: `${bad.url}/hook` }).waitFor();
    expect(await page.locator("main tbody").textContent()).toContain(XSS);
    // The receiver answers 200 since the recovery: both endpoints are healthy, neither shows a circuit.
    expect(await page.locator("main tbody .badge").allTextContents()).toEqual(["healthy", "healthy"]);
    await shot("console-endpoints");
  });
});
