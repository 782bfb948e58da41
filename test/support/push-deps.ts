import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { appendToFeed } from "../../functions/core/feed/append.ts";
import { HOLE_GRACE_MS } from "../../functions/core/feed/deps.ts";
import { TenantStatusCache } from "../../functions/core/lifecycle/retention.ts";
import { CursorKeys } from "../../functions/core/push/cursor-keys.ts";
import type { PushDeps, PushSettings } from "../../functions/core/push/deps.ts";
import { endpointFixture, FakeClock, MemoryApiKeyStore, MemoryEndpointStore } from "./fakes.ts";
import { MemoryFeed } from "./memory-feed.ts";
import { MemoryDeadlines, MemoryPushConnections, RecordingChannel } from "./memory-push.ts";
import { MemoryTenantStore } from "./memory-tenants.ts";

/** The push session's ports as in-memory fakes, a polling endpoint `ep_1` of tenant `acme`, and an append helper. */
export function memoryPushDeps(settings: Partial<PushSettings> = {}) {
  // The real time: the receiver library checks webhook-timestamp against its own clock.
  const clock = new FakeClock(Date.now());
  const apiKeys = new MemoryApiKeyStore();
  const tenants = new MemoryTenantStore();
  const authenticator = new Authenticator("admin-key", apiKeys);
  const deps = {
    connections: new MemoryPushConnections(),
    channel: new RecordingChannel(),
    deadlines: new MemoryDeadlines(clock),
    feed: new MemoryFeed(),
    cursorKeys: new CursorKeys(),
    endpoints: new MemoryEndpointStore(),
    apiKeys,
    // Keys are made through createApiKey, which writes the tenant's record on its first key.
    tenants,
    tenantStatus: new TenantStatusCache(tenants, clock, 30),
    authenticator: async () => authenticator,
    clock,
    settings: { window: 100, perEndpoint: 5, perTenant: 20, logRetentionDays: 30, holeGraceMs: HOLE_GRACE_MS, ...settings },
  } satisfies PushDeps & { tenants: MemoryTenantStore };
  const endpoint = endpointFixture({ id: "ep_1", tenantId: "acme", kind: "polling", url: "" });
  let appended = 0;
  const append = async (endpointId = "ep_1", body: unknown = { n: appended }) => {
    appended++;
    const id = `fi_${String(appended).padStart(6, "0")}`;
    await appendToFeed({ feed: deps.feed, clock, logRetentionDays: 30 }, endpointId, {
      id,
      eventId: `evt_${appended}`,
      messageId: `msg_${appended}`,
      eventType: "invoice.paid",
      timestamp: clock.now().toISOString(),
      body: JSON.stringify(body),
    });
    return id;
  };
  return { deps, authenticator, endpoint, append, init: () => deps.endpoints.put(endpoint) };
}
