import { currentKey, currentPortal, onPortalPage, openPortal, signIn, signOut } from "./api.ts";
import { h, replace } from "./dom.ts";
import { endpointDetail, endpointForm, endpointList } from "./endpoints.ts";
import { eventDetail, eventList } from "./events.ts";
import { keyList } from "./keys.ts";
import { current, go, link, onRoute } from "./router.ts";
import { forget, identify, identifyPortal, limited, tenantParam, whoami } from "./session.ts";
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

/**
 * A portal link carries its token as `#portal=<token>`. Only the portal's page takes it, keeps it for
 * the tab and takes it out of the address bar. On the console the fragment is dropped unread: taken
 * there, a link someone sent an operator would sign the tab into another tenant's portal. True when
 * the fragment was one.
 */
function takePortalFragment(): boolean {
  if (!location.hash.startsWith("#portal=")) return false;
  const handed = /^#portal=([A-Za-z0-9_.~+/=-]+)$/.exec(location.hash)?.[1];
  if (handed && onPortalPage()) openPortal(handed);
  history.replaceState(null, "", `${location.pathname}${location.search}#/${onPortalPage() ? "endpoints" : ""}`);
  return true;
}
takePortalFragment();

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
  // A session limited to some endpoints may not create one: its "new" link shows the list.
  else if (section === "endpoints" && id === "new") view = limited() ? endpointList() : endpointForm();
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
  if (onPortalPage()) return startPortal();
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
  // A link followed within the page: a new session on the portal, nothing on the console.
  if (takePortalFragment()) {
    void start();
    return;
  }
  render();
  main.focus();
});
void start();
