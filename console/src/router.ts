/** The view's state lives in the URL fragment (`#/events?type=a`), so any page can be shared or bookmarked. */

export interface Route {
  /** Path segments, e.g. ["endpoints", "ep_1"]. */
  parts: string[];
  params: URLSearchParams;
}

/** The current route. */
export function current(): Route {
  const raw = location.hash.replace(/^#\/?/, "");
  const [path = "", query = ""] = raw.split("?", 2);
  return { parts: path.split("/").filter(Boolean).map(decodeURIComponent), params: new URLSearchParams(query) };
}

/** A fragment link to a view with parameters; empty parameters are left out. */
export function link(parts: string[], params: Record<string, string | undefined | null> = {}): string {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v) q.set(k, v);
  const s = q.toString();
  return `#/${parts.map(encodeURIComponent).join("/")}${s ? `?${s}` : ""}`;
}

/** Goes to a view (a new history entry). */
export function go(href: string): void {
  location.hash = href.slice(1);
}

/** The current route with some parameters changed, as a link. */
export function withParams(changes: Record<string, string | undefined | null>): string {
  const { parts, params } = current();
  const merged: Record<string, string | undefined | null> = Object.fromEntries(params);
  return link(parts, { ...merged, ...changes });
}

let renderer: () => void = () => undefined;

/** Sets what draws the current route. */
export function onRoute(render: () => void): void {
  renderer = render;
  window.addEventListener("hashchange", render);
}

/** Draws the current route again (after an action changed what it shows). */
export function refresh(): void {
  renderer();
}
