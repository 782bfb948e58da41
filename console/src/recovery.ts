import { api } from "./api.ts";
import { fromLocalInput, h, replace, toLocalInput, when } from "./dom.ts";
import { current, go, withParams } from "./router.ts";
import type { Answer, Body } from "./types.ts";
import { errorBox, facts, field } from "./ui.ts";

const POLL_MS = 1_000;

/** Recover an endpoint's failed deliveries over a window, and watch the recovery (its id stays in the URL). */
export function recoveryPanel(endpointId: string): HTMLElement {
  const now = Date.now();
  const since = h("input", {
    type: "datetime-local",
    name: "since",
    required: true,
    value: toLocalInput(new Date(now - 86_400_000).toISOString()),
  });
  const until = h("input", {
    type: "datetime-local",
    name: "until",
    required: true,
    value: toLocalInput(new Date(now + 60_000).toISOString()),
  });
  const status = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "filters" },
    field("Since", since),
    field("Until", until),
    h("button", { type: "submit" }, "Recover failed deliveries"),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    // \`since\` is required (so is its input): an empty one would get the API's 422 naming it.
    const window: Body<"/v1/endpoints/{id}/recover", "post"> = {
      since: fromLocalInput(since.value) ?? "",
      until: fromLocalInput(until.value),
    };
    try {
      const started = await api<Answer<"/v1/endpoints/{id}/recover", "post">>(
        "POST",
        `v1/endpoints/${encodeURIComponent(endpointId)}/recover`,
        window,
      );
      go(withParams({ recovery: started.id }));
    } catch (error) {
      replace(status, errorBox(error));
    }
  });
  const watched = current().params.get("recovery");
  const progress = h("div", { "aria-live": "polite", class: "progress" });
  if (watched) watch(endpointId, watched, progress);
  return h(
    "div",
    { class: "panel" },
    h("h2", {}, "Recover"),
    h("p", { class: "muted" }, "Resends every failed, exhausted or skipped delivery of the window."),
    form,
    status,
    progress,
  );
}

function watch(endpointId: string, id: string, box: HTMLElement): void {
  const tick = async () => {
    if (!box.isConnected && box.dataset.started) return; // the page moved on
    box.dataset.started = "1";
    try {
      const r = await api<Answer<"/v1/endpoints/{id}/recoveries/{recoveryId}", "get">>(
        "GET",
        `v1/endpoints/${encodeURIComponent(endpointId)}/recoveries/${encodeURIComponent(id)}`,
      );
      replace(
        box,
        h("h3", {}, `Recovery ${r.id}: ${r.status}`),
        h("progress", { "aria-label": "Recovery progress", ...(r.status !== "running" && { value: 1, max: 1 }) }),
        facts([
          ["Window", `${when(r.since)} – ${when(r.until)}`],
          ["Steps", String(r.steps)],
          ["Attempts looked at", String(r.scanned)],
          ["Deliveries resent", String(r.resent)],
          ...(r.error ? [["Error", r.error] as [string, string]] : []),
        ]),
      );
      if (r.status === "running") setTimeout(tick, POLL_MS);
    } catch (error) {
      replace(box, errorBox(error));
    }
  };
  void tick();
}
