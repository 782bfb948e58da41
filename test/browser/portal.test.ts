import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portalSigningKey, signPortalToken } from "../../functions/core/access/portal-sessions.ts";
import { startBrowser } from "../support/browser.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";

/*
 * The customer portal in Debian's chromium against the local stack: a session link opens the page
 * on one tenant's endpoints with no key, and a token whose time is up gets the sign-in error.
 */
const EMBEDDER = "http://127.0.0.1:9";

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startBrowser>>;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ env: { PORTAL_FRAME_ANCESTORS: EMBEDDER } }), startBrowser()]);
  // "one" takes order.paid only; "two" takes every type.
  for (const [tenantId, name, eventTypes] of [
    ["acme", "one", ["order.paid"]],
    ["acme", "two", undefined],
    ["globex", "other", undefined],
  ] as const) {
    const created = await stack.api("POST", "/v1/endpoints", { url: `http://127.0.0.1:9/${tenantId}/${name}`, tenantId, eventTypes });
    expect(created.status).toBe(201);
  }
});

afterAll(async () => {
  await browser?.close();
  await stack?.stop();
});

/** A fresh tab: its sessionStorage starts empty, as a customer's would. */
const tab = (): Promise<Page> => browser.context.newPage();

const endpointLinks = (page: Page) => page.locator("main tbody a").allTextContents();

describe("portal", () => {
  it("opens a session link on its tenant's endpoints only, with no key, no keys screen and no tenant field", async () => {
    const session = await stack.api("POST", "/v1/portal-sessions", { tenantId: "acme" });
    expect(session.status).toBe(201);
    const { url, token } = session.json as { url: string; token: string };
    expect(url).toBe(`${stack.apiUrl}/portal#portal=${token}`);
    const page = await tab();
    const response = await page.goto(url);
    expect(response?.headers()["content-security-policy"]).toMatch(new RegExp(`frame-ancestors ${EMBEDDER}$`));
    await page.getByRole("heading", { name: "Endpoints" }).waitFor();
    await page.locator("main tbody a").first().waitFor();
    expect((await endpointLinks(page)).sort()).toEqual(["http://127.0.0.1:9/acme/one", "http://127.0.0.1:9/acme/two"]);
    expect(await page.getByRole("link", { name: "Tenants & keys" }).count()).toBe(0);
    expect(await page.getByLabel("Tenant").count()).toBe(0);
    expect(await page.getByLabel("API key").count()).toBe(0);
    // The token leaves the address bar once read, and is kept for the tab only.
    expect(page.url()).not.toContain(token);
    expect(await page.evaluate(() => JSON.stringify({ ...localStorage }))).not.toContain(token);
    await page.close();
  });

  it("shows a session limited to one endpoint only that endpoint, its events and deliveries, and hides what it may not do", async () => {
    const listed = (await stack.api("GET", "/v1/endpoints?tenantId=acme")).json.items as { id: string; url: string }[];
    const find = (path: string) => listed.find((e) => e.url.endsWith(path)) as { id: string; url: string };
    const [one, two] = [find("/acme/one"), find("/acme/two")];
    const paid = (await stack.api("POST", "/v1/events", { tenantId: "acme", type: "order.paid", payload: { n: 1 } })).json.id as string;
    const made = (await stack.api("POST", "/v1/events", { tenantId: "acme", type: "user.made", payload: { n: 2 } })).json.id as string;
    // Both are tried (port 9 refuses), so the event of both endpoints has an attempt to "two" to hide.
    await eventually(async () => {
      const view = (await stack.api("GET", `/v1/events/${paid}?tenantId=acme`)).json as { deliveries: { attempts: number }[] };
      return view.deliveries.length === 2 && view.deliveries.every((d) => d.attempts > 0);
    });
    const session = await stack.api("POST", "/v1/portal-sessions", { tenantId: "acme", endpointIds: [one.id] });
    const page = await tab();
    await page.goto(session.json.url);
    await page.locator("main tbody a").first().waitFor();
    expect(await endpointLinks(page)).toEqual(["http://127.0.0.1:9/acme/one"]);
    expect(await page.getByRole("link", { name: "New endpoint" }).count()).toBe(0);
    await page.getByRole("link", { name: "Events" }).click();
    await page.getByRole("link", { name: paid }).waitFor();
    expect(await page.getByRole("link", { name: made }).count()).toBe(0);
    await page.getByRole("link", { name: paid }).click();
    await page.getByRole("heading", { name: "Deliveries" }).waitFor();
    await page.getByRole("heading", { name: "Attempts" }).waitFor();
    await page.locator("table[aria-label='Attempts'] tbody tr, table tbody tr").first().waitFor();
    expect(await page.getByRole("button", { name: "Replay to every endpoint" }).count()).toBe(0);
    expect(await page.getByRole("button", { name: "Replay", exact: true }).count()).toBe(1);
    const text = (await page.locator("main").textContent()) ?? "";
    expect(text).toContain(one.id);
    expect(text).not.toContain(two.id);
    expect(text).not.toContain("/acme/two");
    // A new-endpoint link typed by hand shows the list, not a form the API would refuse.
    await page.goto(`${stack.apiUrl}/portal#/endpoints/new`);
    await page.locator("main tbody a").first().waitFor();
    expect(await page.getByRole("button", { name: "Create endpoint" }).count()).toBe(0);
    await page.close();

    // The same pages for a session of the whole tenant show both (what the limited one hid is really there).
    const whole = await stack.api("POST", "/v1/portal-sessions", { tenantId: "acme" });
    const control = await tab();
    await control.goto(whole.json.url);
    await control.getByRole("link", { name: "New endpoint" }).waitFor();
    await control.goto(`${stack.apiUrl}/portal#/events/${paid}`);
    await control.getByRole("button", { name: "Replay to every endpoint" }).waitFor();
    expect((await control.locator("main").textContent()) ?? "").toContain(two.id);
    await control.close();
  });

  it("takes #portal= only on /portal: on the console the fragment is dropped and the operator's key kept", async () => {
    const session = await stack.api("POST", "/v1/portal-sessions", { tenantId: "globex" });
    const token = session.json.token as string;
    const page = await tab();
    await page.goto(`${stack.apiUrl}/console`);
    await page.getByLabel("API key").fill("local-admin-key");
    await page.getByRole("button", { name: "Sign in" }).click();
    await page.getByRole("link", { name: "Tenants & keys" }).waitFor();
    const stored = () => page.evaluate(() => JSON.stringify({ ...sessionStorage }));
    const operator = async () => {
      await page.getByRole("link", { name: "Tenants & keys" }).waitFor();
      expect(page.url()).not.toContain(token);
      expect(await stored()).toContain("local-admin-key");
      expect(await stored()).not.toContain(token);
      expect(await page.getByText("portal", { exact: true }).count()).toBe(0);
    };
    // A link opened in the operator's tab, as a fresh load...
    await page.goto(`${stack.apiUrl}/console#portal=${token}`);
    await operator();
    // ...and followed within the page.
    await page.evaluate((t) => {
      (globalThis as unknown as { location: { hash: string } }).location.hash = `#portal=${t}`;
    }, token);
    await page.waitForFunction(() => !(globalThis as unknown as { location: { hash: string } }).location.hash.startsWith("#portal="));
    await operator();
    // On /portal the same tab opens the session, and the console keeps the operator's key.
    await page.goto(session.json.url);
    await page.getByText("portal", { exact: true }).waitFor();
    await page.locator("main tbody a").first().waitFor();
    expect(await endpointLinks(page)).toEqual(["http://127.0.0.1:9/globex/other"]);
    await page.goto(`${stack.apiUrl}/console`);
    await page.getByRole("link", { name: "Tenants & keys" }).waitFor();
    expect(await stored()).toContain("local-admin-key");
    await page.close();
  });

  it("shows the sign-in error for a token whose time is up, and for none", async () => {
    const expired = signPortalToken(portalSigningKey("local-admin-key"), {
      tenantId: "acme",
      expiresAt: Math.floor(Date.now() / 1000) - 1,
    });
    const page = await tab();
    await page.goto(`${stack.apiUrl}/portal#portal=${expired}`);
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    await expect(page.getByRole("alert").textContent()).resolves.toContain("portal session");
    expect(await page.locator("main tbody").count()).toBe(0);
    expect(await page.getByLabel("API key").count()).toBe(0);
    await page.goto(`${stack.apiUrl}/portal`);
    await page.reload();
    await page.getByRole("heading", { name: "Sign in" }).waitFor();
    expect(await page.getByRole("alert").count()).toBe(1);
    await page.close();
  });
});
