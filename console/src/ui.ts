import { ApiFailure } from "./api.ts";
import { h, replace } from "./dom.ts";
import { withParams } from "./router.ts";

/** A message for an error: the API's own words when it gave some. */
export function errorText(error: unknown): string {
  if (error instanceof ApiFailure) return `${error.message} (${error.status ? `${error.status} ` : ""}${error.code})`;
  return error instanceof Error ? error.message : String(error);
}

/** An error box that screen readers announce. */
export function errorBox(error: unknown): HTMLElement {
  return h("p", { class: "error", role: "alert" }, errorText(error));
}

/** A region that shows "Loading…", then what `load` builds, or the error it threw. */
export function loading(load: () => Promise<Node | Node[]>, label = "Loading…"): HTMLElement {
  const box = h("div", { "aria-live": "polite", "aria-busy": "true" }, h("p", { class: "muted" }, label));
  load()
    .then((content) => replace(box, content))
    .catch((error: unknown) => replace(box, errorBox(error)))
    .finally(() => box.setAttribute("aria-busy", "false"));
  return box;
}

/** A table with a header row; `empty` shows instead when there are no rows. */
export function table(caption: string, headers: string[], rows: Node[][], empty: string): HTMLElement {
  if (rows.length === 0) return h("p", { class: "empty" }, empty);
  return h(
    "div",
    { class: "table-wrap" },
    h(
      "table",
      {},
      h("caption", { class: "sr-only" }, caption),
      h(
        "thead",
        {},
        h(
          "tr",
          {},
          headers.map((t) => h("th", { scope: "col" }, t)),
        ),
      ),
      h(
        "tbody",
        {},
        rows.map((cells) =>
          h(
            "tr",
            {},
            cells.map((c) => h("td", {}, c)),
          ),
        ),
      ),
    ),
  );
}

/** Cursor pagination kept in the URL: a link to the first page and one to the next. */
export function pager(param: string, hasCursor: boolean, next: string | null): HTMLElement {
  return h(
    "nav",
    { class: "pager", "aria-label": "Pages" },
    hasCursor ? h("a", { href: withParams({ [param]: null }) }, "← First page") : null,
    next ? h("a", { href: withParams({ [param]: next }) }, "Next page →") : null,
  );
}

/** A button that runs an action, shows it is busy, and reports the outcome in `status`. */
export function action(label: string, run: () => Promise<string | undefined>, status: HTMLElement, tone = ""): HTMLButtonElement {
  const button = h("button", { type: "button", class: tone || undefined }, label);
  button.addEventListener("click", async () => {
    button.disabled = true;
    replace(status, h("span", { class: "muted" }, "Working…"));
    try {
      const done = await run();
      replace(status, done ? h("span", { class: "ok-text", role: "status" }, done) : "");
    } catch (error) {
      replace(status, errorBox(error));
    } finally {
      button.disabled = false;
    }
  });
  return button;
}

/** A labelled form field. */
export function field(label: string, input: HTMLElement, hint?: string): HTMLElement {
  const id = input.id || `f-${Math.random().toString(36).slice(2, 9)}`;
  input.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) input.setAttribute("aria-describedby", hintId);
  return h("div", { class: "field" }, h("label", { for: id }, label), input, hint ? h("small", { id: hintId }, hint) : null);
}

/** Untrusted text (payloads, response bodies) in a scrollable block, as text only. */
export function rawText(text: string, label: string): HTMLElement {
  return h("pre", { class: "raw", tabindex: 0, "aria-label": label }, text);
}

/** The admin's tenant field for a filter form (a tenant key acts in its own tenant only, so it gets none). */
export function tenantField(tenant: string | undefined): HTMLInputElement | undefined {
  return tenant === undefined ? undefined : h("input", { type: "text", name: "tenant", value: tenant, required: true, size: 12 });
}

/** A definition list of label and value pairs. */
export function facts(pairs: [string, Node | string][]): HTMLElement {
  return h(
    "dl",
    { class: "facts" },
    pairs.map(([k, v]) => [h("dt", {}, k), h("dd", {}, v)]),
  );
}
