import { api, feedRoot, withQuery } from "./api.ts";
import { statsChart } from "./chart.ts";
import { badge, h, replace, when } from "./dom.ts";
import { laneFact } from "./lane.ts";
import { linePanel } from "./line.ts";
import { liveTailPanel } from "./live-tail.ts";
import { recoveryPanel } from "./recovery.ts";
import { current, go, link, refresh, withParams } from "./router.ts";
import { limited, tenantParam } from "./session.ts";
import type { Answer, Attempt, Body, Endpoint, Secret } from "./types.ts";
import { action, errorBox, facts, field, loading, pager, rawText, table, tenantField } from "./ui.ts";

/** The health of an endpoint in one badge. */
export function health(e: Endpoint): HTMLElement {
  if (!e.enabled) return badge(`disabled${e.disabledReason ? ` (${e.disabledReason})` : ""}`, "bad");
  if (e.circuit.state !== "closed") return badge(`circuit ${e.circuit.state}`, "bad");
  if (e.failingSince) return badge("failing", "warn");
  return badge("healthy", "ok");
}

/** What names a polling endpoint where a webhook endpoint shows its URL. */
const POLLING_LABEL = "polling endpoint (feed)";

const STATES: Record<string, (e: Endpoint) => boolean> = {
  enabled: (e) => e.enabled,
  disabled: (e) => !e.enabled,
  failing: (e) => e.enabled && (e.failingSince !== null || e.circuit.state !== "closed"),
};

/** #/endpoints: a tenant's endpoints, filtered by state and text, a page at a time. */
export function endpointList(): HTMLElement {
  const { params } = current();
  const tenant = tenantParam();
  const q = params.get("q") ?? "";
  const state = params.get("state") ?? "";
  const cursor = params.get("cursor");
  const search = h("input", { type: "search", name: "q", value: q });
  const select = h(
    "select",
    { name: "state" },
    [
      ["", "Any state"],
      ["enabled", "Enabled"],
      ["disabled", "Disabled"],
      ["failing", "Failing or circuit open"],
    ].map(([v, t]) => h("option", { value: v, selected: v === state }, t as string)),
  );
  const tenantInput = tenantField(tenant);
  const filters = h(
    "form",
    { class: "filters", role: "search" },
    tenantInput ? field("Tenant", tenantInput) : null,
    field("URL or description contains", search),
    field("State", select),
    h("button", { type: "submit" }, "Filter"),
  );
  filters.addEventListener("submit", (ev) => {
    ev.preventDefault();
    go(withParams({ q: search.value.trim(), state: select.value, cursor: null, tenant: tenantInput?.value.trim() }));
  });
  return h(
    "section",
    {},
    h(
      "div",
      { class: "title-row" },
      h("h1", {}, "Endpoints"),
      // A portal session limited to some endpoints may not create one (the API answers 403).
      limited() ? null : h("a", { class: "button", href: link(["endpoints", "new"], { tenant }) }, "New endpoint"),
    ),
    filters,
    loading(async () => {
      const page = await api<Answer<"/v1/endpoints", "get">>("GET", withQuery("v1/endpoints", { tenantId: tenant, limit: "100", cursor }));
      const needle = q.toLowerCase();
      const shown = page.items.filter(
        (e) => (!state || STATES[state]?.(e)) && (!needle || `${e.url ?? ""} ${e.description ?? ""}`.toLowerCase().includes(needle)),
      );
      const rows = shown.map((e) => [
        h("a", { href: link(["endpoints", e.id], { tenant }) }, e.url ?? POLLING_LABEL),
        document.createTextNode(e.description ?? ""),
        document.createTextNode(e.eventTypes?.join(", ") ?? "all types"),
        health(e),
        document.createTextNode(e.failingSince ? when(e.failingSince) : "—"),
        document.createTextNode(e.rateLimitPerSecond ? `${e.rateLimitPerSecond}/s` : "—"),
      ]);
      const none =
        page.items.length === 0
          ? limited()
            ? "No endpoints."
            : "No endpoints yet: create one to start receiving events."
          : "No endpoint on this page matches the filter.";
      return [
        table("Endpoints", ["URL", "Description", "Event types", "Health", "Failing since", "Rate limit"], rows, none),
        pager("cursor", cursor !== null, page.nextCursor),
      ];
    }),
  );
}

/** #/endpoints/new and #/endpoints/{id}/edit: the endpoint form. */
export function endpointForm(id?: string): HTMLElement {
  const tenant = tenantParam();
  const box = h("section", {}, h("h1", {}, id ? "Edit endpoint" : "New endpoint"));
  const build = (e?: Endpoint) => {
    // A polling endpoint has no URL and no rate limit: the API refuses both for it (422 validation_failed).
    const polling = e?.kind === "polling";
    // An AWS destination (sqs, sns, eventbridge, kinesis, s3) names its target at registration; the API refuses a new url.
    const aws = e !== undefined && e.kind !== "webhook" && !polling;
    const url = h("input", { type: "url", name: "url", required: true, value: e?.url ?? "", placeholder: "https://example.com/webhooks" });
    const description = h("input", { type: "text", name: "description", value: e?.description ?? "" });
    const types = h("input", {
      type: "text",
      name: "eventTypes",
      value: e?.eventTypes?.join(", ") ?? "",
      placeholder: "invoice.paid, invoice.failed",
    });
    const rate = h("input", { type: "number", name: "rateLimitPerSecond", min: 1, value: e?.rateLimitPerSecond ?? "" });
    const status = h("div", { "aria-live": "polite" });
    const form = h(
      "form",
      { class: "stack" },
      polling || aws ? null : field("URL", url),
      aws ? h("p", {}, `Delivers into ${e?.kind} ${e?.url ?? ""}`) : null,
      field("Description", description),
      field("Event types", types, "Comma-separated; empty means every type."),
      polling ? null : field("Rate limit (deliveries per second)", rate, "Empty means no limit."),
      h(
        "div",
        { class: "row" },
        h("button", { type: "submit", class: "primary" }, id ? "Save" : "Create endpoint"),
        h("a", { href: id ? link(["endpoints", id], { tenant }) : link(["endpoints"], { tenant }) }, "Cancel"),
      ),
      status,
    );
    form.addEventListener("submit", async (ev) => {
      ev.preventDefault();
      const list = types.value
        .split(",")
        .map((t) => t.trim())
        .filter(Boolean);
      // One form for both: the PATCH body, and on create the tenant the admin is looking at.
      const body: Body<"/v1/endpoints/{id}", "patch"> & Pick<Body<"/v1/endpoints", "post">, "tenantId"> = {
        ...(!polling && !aws && { url: url.value.trim() }),
        description: description.value,
        ...(polling
          ? {}
          : rate.value
            ? { rateLimitPerSecond: Number(rate.value) }
            : id && e?.rateLimitPerSecond
              ? { rateLimitPerSecond: null }
              : {}),
      };
      if (list.length > 0) body.eventTypes = list;
      else if (id) body.eventTypes = null;
      if (!id && tenant) body.tenantId = tenant;
      replace(status, h("span", { class: "muted" }, "Saving…"));
      try {
        const saved = await api<Endpoint>(id ? "PATCH" : "POST", id ? `v1/endpoints/${encodeURIComponent(id)}` : "v1/endpoints", body);
        go(link(["endpoints", saved.id], { tenant }));
      } catch (error) {
        replace(status, errorBox(error));
      }
    });
    return form;
  };
  if (!id) box.append(build());
  else
    box.append(loading(async () => build(await api<Answer<"/v1/endpoints/{id}", "get">>("GET", `v1/endpoints/${encodeURIComponent(id)}`))));
  return box;
}

/** #/endpoints/{id}: health, secret, chart, recovery and attempts of one endpoint. */
export function endpointDetail(id: string): HTMLElement {
  const tenant = tenantParam();
  const path = `v1/endpoints/${encodeURIComponent(id)}`;
  return loading(async () => {
    const e = await api<Answer<"/v1/endpoints/{id}", "get">>("GET", path);
    // A polling endpoint is read at its feed's address, which may be another URL than the console's.
    const feed = e.kind === "polling" ? new URL(`${path}/feed`, await feedRoot()).href : undefined;
    const status = h("div", { "aria-live": "polite" });
    const toggle = action(
      e.enabled ? "Disable" : "Enable",
      async () => {
        await api("PATCH", path, { enabled: !e.enabled } satisfies Body<"/v1/endpoints/{id}", "patch">);
        refresh();
        return undefined;
      },
      status,
    );
    return h(
      "section",
      {},
      h("p", {}, h("a", { href: link(["endpoints"], { tenant }) }, "← Endpoints")),
      h("div", { class: "title-row" }, h("h1", {}, e.url ?? POLLING_LABEL), health(e)),
      h("div", { class: "row" }, h("a", { class: "button", href: link(["endpoints", id, "edit"], { tenant }) }, "Edit"), toggle),
      status,
      facts([
        ["Id", e.id],
        ...(feed ? [["Feed", h("code", {}, `GET ${feed}`)] as [string, Node]] : []),
        ["Tenant", e.tenantId],
        ["Description", e.description ?? "—"],
        ["Event types", e.eventTypes?.join(", ") ?? "all types"],
        ["Enabled", e.enabled ? "yes" : `no${e.disabledReason ? `, ${e.disabledReason} since ${when(e.disabledAt)}` : ""}`],
        ["Failing since", when(e.failingSince)],
        ["Circuit", `${e.circuit.state}${e.circuit.openUntil ? ` until ${when(e.circuit.openUntil)}` : ""}`],
        ["Ordering", e.ordering === "fifo" ? "fifo: one delivery at a time, in emission order" : "none"],
        ["Lane", laneFact(e, when)],
        ["Rate limit", e.rateLimitPerSecond ? `${e.rateLimitPerSecond} per second` : "none"],
        ["Retry schedule", e.retrySchedule ? `${e.retrySchedule.join(", ")} s` : "default"],
      ]),
      e.ordering === "fifo" ? linePanel(id, tenant) : null,
      secretPanel(path),
      e.kind === "polling" ? liveTailPanel(id) : null,
      h("h2", {}, "Last 24 hours"),
      loading(async () => statsChart(await api<Answer<"/v1/endpoints/{id}/stats", "get">>("GET", `${path}/stats`))),
      recoveryPanel(id),
      attemptsPanel(path),
    );
  });
}

function secretPanel(path: string): HTMLElement {
  const shown = h("div", { "aria-live": "polite" });
  const status = h("div", { "aria-live": "polite" });
  const show = (s: Secret) =>
    replace(
      shown,
      h("code", { class: "secret" }, s.secret),
      s.previous?.length ? h("p", { class: "muted" }, `The previous secret still signs until ${when(s.previous[0]?.expiresAt)}.`) : null,
    );
  return h(
    "div",
    { class: "panel" },
    h("h2", {}, "Signing secret"),
    h(
      "div",
      { class: "row" },
      action(
        "Reveal secret",
        async () => {
          show(await api<Answer<"/v1/endpoints/{id}/secret", "get">>("GET", `${path}/secret`));
          return undefined;
        },
        status,
      ),
      action(
        "Rotate secret",
        async () => {
          if (!confirm("Rotate the secret? The old one keeps signing for 24 hours.")) return undefined;
          show(await api<Answer<"/v1/endpoints/{id}/secret/rotate", "post">>("POST", `${path}/secret/rotate`, {}));
          return "Rotated: receivers must switch to the new secret.";
        },
        status,
      ),
    ),
    shown,
    status,
  );
}

function attemptsPanel(path: string): HTMLElement {
  const { params } = current();
  const cursor = params.get("acursor");
  const status = params.get("astatus") ?? "";
  const select = h(
    "select",
    { name: "astatus" },
    ["", "succeeded", "failed", "exhausted", "skipped"].map((v) => h("option", { value: v, selected: v === status }, v || "Any status")),
  );
  select.addEventListener("change", () => go(withParams({ astatus: select.value, acursor: null })));
  return h(
    "div",
    { class: "panel" },
    h("h2", {}, "Attempts"),
    field("Status", select),
    loading(async () => {
      const page = await api<Answer<"/v1/endpoints/{id}/attempts", "get">>(
        "GET",
        withQuery(`${path}/attempts`, { status, cursor, limit: "25" }),
      );
      return [attemptTable(page.items, true), pager("acursor", cursor !== null, page.nextCursor)];
    }),
  );
}

/** Attempts with their status code, error, duration and (behind a disclosure) the receiver's answer. */
export function attemptTable(items: Attempt[], withEvent: boolean): HTMLElement {
  const tenant = tenantParam();
  const tone = (s: string) => (s === "succeeded" ? "ok" : s === "failed" ? "warn" : s === "skipped" ? "muted" : "bad");
  const rows = items.map((a) => [
    document.createTextNode(when(a.at)),
    withEvent
      ? h("a", { href: link(["events", a.eventId], { tenant }) }, a.eventId)
      : h("a", { href: link(["endpoints", a.endpointId], { tenant }) }, a.endpointId),
    document.createTextNode(`${a.chain ? `${a.trigger} ` : ""}#${a.attempt}`),
    badge(a.status, tone(a.status)),
    document.createTextNode(a.statusCode !== undefined ? String(a.statusCode) : "—"),
    document.createTextNode([a.error, a.errorMessage].filter(Boolean).join(": ") || "—"),
    document.createTextNode(`${a.durationMs} ms`),
    a.responseBody
      ? h("details", {}, h("summary", {}, "Response body"), rawText(a.responseBody, "Response body"))
      : document.createTextNode("—"),
  ]);
  return table(
    "Attempts",
    ["At", withEvent ? "Event" : "Endpoint", "Attempt", "Status", "Code", "Error", "Duration", "Answer"],
    rows,
    "No attempts yet.",
  );
}
