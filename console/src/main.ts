import { currentKey, currentPortal, openPortal, signIn, signOut } from "./api.ts";
import { h, replace } from "./dom.ts";
import { endpointDetail, endpointForm, endpointList } from "./endpoints.ts";
import { eventDetail, eventList } from "./events.ts";
import { keyList } from "./keys.ts";
import { current, go, link, onRoute } from "./router.ts";
import { forget, identify, identifyPortal, tenantParam, whoami } from "./session.ts";
import { errorBox, field } from "./ui.ts";

const main = document.getElementById("main") as HTMLElement;
const nav = document.getElementById("nav") as HTMLElement;

/** The sign-in form: the key stays in this tab's sessionStorage, never in the URL. */
function signInView(problem?: unknown): HTMLElement {
  const key = h("input", { type: "password", name: "key", required: true, autocomplete: "off", spellcheck: "false" });
  const form = h(
    "form",
    { class: "stack narrow" },
    h("h1", {}, "Sign in"),
    h("p", {}, "Enter the admin key or a tenant's API key. It is kept in this tab only and forgotten when the tab closes."),
    field("API key", key),
    h("button", { type: "submit", class: "primary" }, "Sign in"),
    problem ? errorBox(problem) : null,
  );
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    signIn(key.value.trim());
    await start();
  });
  return form;
}

/** The portal's page when its session is missing, expired or altered: there is no key to sign in with here. */
function portalSignInView(problem?: unknown): HTMLElement {
  return h(
    "section",
    { class: "stack narrow" },
    h("h1", {}, "Sign in"),
    h("p", {}, "This portal session has ended or is not valid. Open the portal again from the application that linked here."),
    errorBox(problem ?? new Error("No portal session was given")),
  );
}

/** True on the portal's page, which signs in only with the session its link carries. */
const onPortalPage = (): boolean => location.pathname.replace(/\/+$/, "").endsWith("/portal");

// The link carries the token as `#portal=<token>`: keep it for the tab and take it out of the address bar.
const handed = /^#portal=([A-Za-z0-9_.~+/=-]+)$/.exec(location.hash)?.[1];
if (handed) {
  openPortal(handed);
  history.replaceState(null, "", `${location.pathname}${location.search}#/endpoints`);
}

function drawNav(): void {
  const who = whoami();
  if (!who) {
    replace(nav);
    return;
  }
  const tenant = tenantParam();
  const [section] = current().parts;
  const item = (label: string, parts: string[], name: string) =>
    h("a", { href: link(parts, { tenant }), ...(section === name && { "aria-current": "page" }) }, label);
  const out = h("button", { type: "button", class: "link" }, "Sign out");
  out.addEventListener("click", () => {
    signOut();
    forget();
    go("#/");
    void start();
  });
  if (who.portal) {
    replace(
      nav,
      item("Endpoints", ["endpoints"], "endpoints"),
      item("Events", ["events"], "events"),
      h("span", { class: "tenant" }, "portal"),
    );
    return;
  }
  replace(
    nav,
    item("Endpoints", ["endpoints"], "endpoints"),
    item("Events", ["events"], "events"),
    who.admin ? h("a", { href: link(["keys"]), ...(section === "keys" && { "aria-current": "page" }) }, "Tenants & keys") : null,
    who.admin ? h("span", { class: "tenant" }, `tenant: ${tenant}`) : h("span", { class: "tenant" }, "tenant key"),
    out,
  );
}

function render(): void {
  if (!whoami()) return;
  drawNav();
  const { parts } = current();
  const [section, id, sub] = parts;
  let view: HTMLElement;
  if (section === "events" && id) view = eventDetail(id);
  else if (section === "events") view = eventList();
  else if (section === "keys" && whoami()?.admin) view = keyList();
  else if (section === "endpoints" && id === "new") view = endpointForm();
  else if (section === "endpoints" && id && sub === "edit") view = endpointForm(id);
  else if (section === "endpoints" && id) view = endpointDetail(id);
  else view = endpointList();
  replace(main, view);
  document.title = `${main.querySelector("h1")?.textContent ?? "hookrelay"} · hookrelay console`;
}

async function startPortal(): Promise<void> {
  try {
    if (!currentPortal()) throw new Error("No portal session was given");
    await identifyPortal();
  } catch (error) {
    replace(nav);
    replace(main, portalSignInView(error));
    return;
  }
  render();
  main.focus();
}

async function start(): Promise<void> {
  if (onPortalPage() || handed) return startPortal();
  if (!currentKey()) {
    replace(nav);
    replace(main, signInView());
    return;
  }
  try {
    await identify();
  } catch (error) {
    signOut();
    replace(nav);
    replace(main, signInView(error));
    return;
  }
  render();
  main.focus();
}

onRoute(() => {
  render();
  main.focus();
});
void start();
