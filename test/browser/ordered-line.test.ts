import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DynamoAttemptLog } from "../../functions/adapters/dynamo/dynamo-attempt-log.ts";
import { realSleep } from "../../functions/adapters/lambda/persistent-call.ts";
import { systemClock } from "../../functions/core/kernel/clock.ts";
import { ORDERED_STUCK_AFTER_SECONDS } from "../../functions/core/ordering/line-state.ts";
import { RESOURCE_NAMES } from "../../lib/resource-settings.ts";
import { seriousViolations, startBrowser } from "../support/browser.ts";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { startReceiver } from "../support/receiver.ts";

/*
 * An ordered endpoint whose receiver keeps failing, seen in the console (Debian's chromium against
 * the local stack): its line shows blocked by the first event emitted, with what to do, and draining
 * once disabled; a line blocked for longer than the alarm's hour shows stuck.
 */
let stack: RunningStack;
let browser: Awaited<ReturnType<typeof startBrowser>>;
let page: Page;
let failing: Awaited<ReturnType<typeof startReceiver>>;
let documents: DynamoDBDocumentClient;

beforeAll(async () => {
  // The first attempt fails and the next is 30 s away: long enough to see the line blocked and
  // disable the endpoint, after which the head's next receive drains the line.
  [stack, failing, browser] = await Promise.all([
    startStack({ env: { RETRY_SCHEDULE: "30,600" } }),
    startReceiver(() => ({ status: 503, body: "down for maintenance" })),
    startBrowser(),
  ]);
  page = browser.context.pages()[0] ?? (await browser.context.newPage());
  page.on("dialog", (dialog) => void dialog.accept());
  const raw = new DynamoDBClient({
    endpoint: stack.dynamoUrl,
    region: "us-east-1",
    credentials: { accessKeyId: "x", secretAccessKey: "x" },
  });
  documents = DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true } });
});

afterAll(async () => {
  documents?.destroy();
  await browser?.close();
  await failing?.close();
  await stack?.stop();
});

async function signedIn(fragment: string) {
  await page.goto(`${stack.apiUrl}/console${fragment}`);
  if (await page.getByLabel("API key").isVisible()) {
    await page.getByLabel("API key").fill("local-admin-key");
    await page.getByRole("button", { name: "Sign in" }).click();
  }
}

const panel = () => page.getByLabel("Ordered line");

describe("an ordered endpoint in the console", () => {
  it("shows its line blocked by the first event emitted, since its first attempt, with what to do; disabling drains it", async () => {
    const created = await stack.api("POST", "/v1/endpoints", { url: `${failing.url}/hook`, ordering: "fifo" });
    expect(created.status).toBe(201);
    const id: string = created.json.id;
    const events: string[] = [];
    for (let n = 0; n < 3; n++) events.push((await stack.api("POST", "/v1/events", { type: "order.created", payload: { n } })).json.id);
    const line = await eventually(async () => {
      const got = (await stack.api("GET", `/v1/endpoints/${id}/line`)).json;
      return got.state === "blocked" ? got : undefined;
    });
    expect(line.head.eventId).toBe(events[0]);
    // Held back: only the head was ever sent.
    expect(new Set(failing.requests.map((r) => JSON.parse(r.body).n))).toEqual(new Set([0]));

    await signedIn(`#/endpoints/${id}`);
    await panel().getByText("line blocked").waitFor();
    expect(await page.getByText("fifo: one delivery at a time, in emission order").count()).toBe(1);
    expect(await panel().getByRole("link", { name: events[0] }).count()).toBe(1);
    const text = (await panel().textContent()) ?? "";
    expect(text).toContain("Blocked since");
    expect(text).toContain("503");
    expect(text).not.toContain("line stuck");
    expect(await seriousViolations(page)).toEqual([]);

    await panel().getByRole("button", { name: "Disable and drain the line" }).click();
    await panel().getByText("line draining (disabled)").waitFor();
    // When the head's wait ends, it and the deliveries behind it are recorded skipped, unattempted.
    for (const eventId of events) {
      await eventually(async () => {
        const view = (await stack.api("GET", `/v1/events/${eventId}`)).json;
        return (
          view.deliveries.some((d: { endpointId: string; status: string }) => d.endpointId === id && d.status === "skipped") || undefined
        );
      }, 90_000);
    }
    expect(new Set(failing.requests.map((r) => JSON.parse(r.body).n))).toEqual(new Set([0]));
  }, 180_000);

  it("shows a line blocked for longer than the alarm's hour as stuck", async () => {
    const created = await stack.api("POST", "/v1/endpoints", { url: `${failing.url}/stuck`, ordering: "fifo" });
    const id: string = created.json.id;
    // The log as a line blocked since well over an hour ago leaves it: its head's chain failing since then.
    const log = new DynamoAttemptLog(documents, RESOURCE_NAMES.table, { clock: systemClock, sleep: realSleep, remainingMs: () => 10_000 });
    const since = Date.now() - 2 * ORDERED_STUCK_AFTER_SECONDS * 1000;
    for (const [n, at] of [since, Date.now() - 60_000].entries()) {
      await log.record({
        eventId: "evt_stuck_head",
        endpointId: id,
        tenantId: "default",
        attempt: n + 1,
        trigger: "scheduled",
        status: "failed",
        url: `${failing.url}/stuck`,
        at: new Date(at).toISOString(),
        durationMs: 5,
        statusCode: 500,
        nextAttemptAt: new Date(Date.now() + 600_000).toISOString(),
        expiresAt: Math.floor(Date.now() / 1000) + 86_400,
      });
    }
    expect((await stack.api("GET", `/v1/endpoints/${id}/line`)).json).toMatchObject({
      state: "blocked",
      stuck: true,
      head: { eventId: "evt_stuck_head", blockedSince: new Date(since).toISOString(), attempts: 2 },
    });
    await signedIn(`#/endpoints/${id}`);
    await panel().getByText("line stuck").waitFor();
    expect(await panel().getByRole("link", { name: "evt_stuck_head" }).count()).toBe(1);
    expect(await panel().getByRole("button", { name: "Disable and drain the line" }).count()).toBe(1);
  });
});
