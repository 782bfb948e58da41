import { api, withQuery } from "./api.ts";
import { badge, fromLocalInput, h, toLocalInput, when } from "./dom.ts";
import { attemptTable } from "./endpoints.ts";
import { current, go, link, withParams } from "./router.ts";
import { limited, tenantParam } from "./session.ts";
import type { Answer, Body } from "./types.ts";
import { action, facts, field, loading, pager, rawText, table, tenantField } from "./ui.ts";

/** #/events: a tenant's events, newest first, by type and time. */
export function eventList(): HTMLElement {
  const { params } = current();
  const tenant = tenantParam();
  const type = params.get("type") ?? "";
  const before = params.get("before") ?? "";
  const cursor = params.get("cursor");
  const typeInput = h("input", { type: "text", name: "type", value: type, placeholder: "invoice.paid" });
  const beforeInput = h("input", { type: "datetime-local", name: "before", value: before ? toLocalInput(before) : "" });
  const tenantInput = tenantField(tenant);
  const filters = h(
    "form",
    { class: "filters", role: "search" },
    tenantInput ? field("Tenant", tenantInput) : null,
    field("Event type", typeInput),
    field("Created before", beforeInput),
    h("button", { type: "submit" }, "Filter"),
  );
  filters.addEventListener("submit", (ev) => {
    ev.preventDefault();
    go(
      withParams({
        type: typeInput.value.trim(),
        before: fromLocalInput(beforeInput.value),
        cursor: null,
        tenant: tenantInput?.value.trim(),
      }),
    );
  });
  return h(
    "section",
    {},
    h("h1", {}, "Events"),
    filters,
    loading(async () => {
      const page = await api<Answer<"/v1/events", "get">>(
        "GET",
        withQuery("v1/events", { tenantId: tenant, type, before, cursor, limit: "50" }),
      );
      const rows = page.items.map((e) => [
        document.createTextNode(when(e.createdAt)),
        document.createTextNode(e.type),
        h("a", { href: link(["events", e.id], { tenant }) }, e.id),
        document.createTextNode(String(e.endpoints)),
      ]);
      return [
        table("Events", ["Created", "Type", "Id", "Endpoints"], rows, type || before ? "No events match." : "No events yet."),
        pager("cursor", cursor !== null, page.nextCursor),
      ];
    }),
  );
}

/** #/events/{id}: the payload, where each delivery stands, and every attempt. */
export function eventDetail(id: string): HTMLElement {
  const tenant = tenantParam();
  const path = `v1/events/${encodeURIComponent(id)}`;
  return loading(async () => {
    // An event is named by its tenant and id: the admin key names the tenant it reads in.
    const [event, attempts] = await Promise.all([
      api<Answer<"/v1/events/{id}", "get">>("GET", withQuery(path, { tenantId: tenant })),
      api<Answer<"/v1/events/{id}/attempts", "get">>("GET", withQuery(`${path}/attempts`, { tenantId: tenant, limit: "100" })),
    ]);
    const status = h("div", { "aria-live": "polite" });
    const replay = (endpointId?: string) =>
      action(
        endpointId ? "Replay" : "Replay to every endpoint",
        async () => {
          const r = await api<Answer<"/v1/events/{id}/replay", "post">>("POST", `${path}/replay`, {
            ...(endpointId && { endpointId }),
            ...(tenant && { tenantId: tenant }),
          } satisfies Body<"/v1/events/{id}/replay", "post">);
          const skipped = r.skipped.map((s) => `${s.endpointId} (${s.reason})`).join(", ");
          return `Replay queued for ${r.chains.length} endpoint(s)${skipped ? `; skipped ${skipped}` : ""}. Reload to see its attempts.`;
        },
        status,
      );
    const tone = (s: string) => (s === "succeeded" ? "ok" : s === "pending" || s === "failed" ? "warn" : "bad");
    const rows = event.deliveries.map((d) => [
      h("a", { href: link(["endpoints", d.endpointId], { tenant }) }, d.endpointId),
      badge(d.status, tone(d.status)),
      document.createTextNode(String(d.attempts)),
      document.createTextNode(d.lastStatusCode !== undefined ? String(d.lastStatusCode) : "—"),
      document.createTextNode(d.lastError ?? "—"),
      document.createTextNode(when(d.nextAttemptAt)),
      replay(d.endpointId),
    ]);
    return h(
      "section",
      {},
      h("p", {}, h("a", { href: link(["events"], { tenant }) }, "← Events")),
      h("h1", {}, `Event ${event.type}`),
      facts([
        ["Id", event.id],
        ["Webhook id", event.messageId],
        ["Tenant", event.tenantId],
        ["Created", when(event.createdAt)],
      ]),
      h("h2", {}, "Payload"),
      rawText(JSON.stringify(event.payload, null, 2), "Payload"),
      // A portal session limited to some endpoints replays only to one of them, named (the API answers 403 otherwise).
      h("div", { class: "title-row" }, h("h2", {}, "Deliveries"), limited() ? null : replay()),
      status,
      table(
        "Deliveries",
        ["Endpoint", "Status", "Attempts", "Last code", "Last error", "Next attempt", ""],
        rows,
        "No endpoint subscribed to this event.",
      ),
      h("h2", {}, "Attempts"),
      attemptTable(attempts.items, false),
    );
  });
}
