import { api, withQuery } from "./api.ts";
import { h, replace, when } from "./dom.ts";
import { current, link, refresh } from "./router.ts";
import type { Answer, Body } from "./types.ts";
import { action, errorBox, field, loading, pager, table } from "./ui.ts";

/** #/keys (admin only): tenants' API keys; a new key is shown once. */
export function keyList(): HTMLElement {
  const cursor = current().params.get("cursor");
  const tenant = h("input", { type: "text", name: "tenantId", required: true, placeholder: "acme" });
  const name = h("input", { type: "text", name: "name", required: true, placeholder: "billing service" });
  const created = h("div", { "aria-live": "polite" });
  const form = h(
    "form",
    { class: "filters" },
    field("Tenant", tenant),
    field("Name", name),
    h("button", { type: "submit", class: "primary" }, "Create key"),
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    try {
      const key = await api<Answer<"/v1/api-keys", "post">>("POST", "v1/api-keys", {
        tenantId: tenant.value.trim(),
        name: name.value.trim(),
      } satisfies Body<"/v1/api-keys", "post">);
      replace(
        created,
        h(
          "div",
          { class: "panel" },
          h("p", {}, `Key for ${key.tenantId}, shown only now: `),
          h("code", { class: "secret" }, key.key),
          h("p", {}, h("button", { type: "button", onclick: refresh }, "Refresh the list")),
        ),
      );
    } catch (error) {
      replace(created, errorBox(error));
    }
  });
  return h(
    "section",
    {},
    h("h1", {}, "Tenants and API keys"),
    h("p", { class: "muted" }, "A tenant exists through its keys and endpoints. Open a tenant to act in it as the admin."),
    form,
    created,
    loading(async () => {
      const page = await api<Answer<"/v1/api-keys", "get">>("GET", withQuery("v1/api-keys", { cursor, limit: "50" }));
      const rows = page.items.map((k) => {
        const status = h("span", {});
        return [
          h("a", { href: link(["endpoints"], { tenant: k.tenantId }) }, k.tenantId),
          document.createTextNode(k.name),
          document.createTextNode(k.id),
          document.createTextNode(when(k.createdAt)),
          h(
            "span",
            {},
            action(
              "Revoke",
              async () => {
                if (!confirm(`Revoke key "${k.name}" of ${k.tenantId}?`)) return undefined;
                await api("DELETE", `v1/api-keys/${encodeURIComponent(k.id)}`);
                refresh();
                return undefined;
              },
              status,
              "danger",
            ),
            status,
          ),
        ];
      });
      return [
        table("API keys", ["Tenant", "Name", "Id", "Created", ""], rows, "No tenant keys yet."),
        pager("cursor", cursor !== null, page.nextCursor),
      ];
    }),
  );
}
