import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { portalSigningKey, signPortalToken } from "../../functions/core/portal-sessions.ts";
import { startBrowser } from "../support/browser.ts";
import { type RunningStack, startStack } from "../support/local-stack.ts";

/*
 * The customer portal in Debian's chromium against the local stack: a session link opens the page
 * on one tenant's endpoints with no key, and a token whose time is up gets the sign-in error.
 */
const EMBEDDER = "http://127.0.0.1:9";

let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startBrowser>>;

beforeAll(async () => {
  [stack, browser] = await Promise.all([startStack({ env: { PORTAL_FRAME_ANCESTORS: EMBEDDER } }), startBrowser()]);
  for (const [tenantId, name] of [
    ["acme", "one"],
    ["acme", "two"],
    ["globex", "other"],
  ]) {
    const created = await stack.api("POST", "/v1/endpoints", { url: `http://127.0.0.1:9/${tenantId}/${name}`, tenantId });
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

  it("shows a session limited to one endpoint only that endpoint", async () => {
    const listed = await stack.api("GET", "/v1/endpoints?tenantId=acme");
    const one = (listed.json.items as { id: string; url: string }[]).find((e) => e.url.endsWith("/acme/one"));
    const session = await stack.api("POST", "/v1/portal-sessions", { tenantId: "acme", endpointIds: [one?.id] });
    const page = await tab();
    await page.goto(session.json.url);
    await page.locator("main tbody a").first().waitFor();
    expect(await endpointLinks(page)).toEqual(["http://127.0.0.1:9/acme/one"]);
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
