import { gunzipSync } from "node:zlib";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { header } from "./request.ts";

/** The console's path under the API: the page itself, and its assets below it. */
export const CONSOLE_PATH = "/console";

/** The portal: the same page, opened with a session token in its fragment, which other sites may frame. */
export const PORTAL_PATH = "/portal";

/** True for the console's and the portal's page and assets, which are served without an API key (the page asks for one). */
export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path === PORTAL_PATH || path === `${PORTAL_PATH}/` || path.startsWith(`${CONSOLE_PATH}/`);
}

// A CSP source a site may frame the portal from: a scheme-and-host origin (a leading `*.` allowed) or 'self'.
const FRAME_SOURCE = /^(https?:\/\/(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?|'self')$/;

/**
 * The portal's frame-ancestors from PORTAL_FRAME_ANCESTORS (space-separated sources); unset or empty
 * is 'none'. Anything else would be spliced into a header, so it is refused at cold start.
 */
export function portalFrameAncestors(setting: string | undefined): string {
  const sources = (setting ?? "").split(/[ ,]+/).filter(Boolean);
  const bad = sources.find((source) => !FRAME_SOURCE.test(source));
  if (bad !== undefined) throw new Error(`PORTAL_FRAME_ANCESTORS: ${JSON.stringify(bad)} is not an origin such as https://app.example.com`);
  return sources.length === 0 ? "'none'" : sources.join(" ");
}

/**
 * The page may load only its own script and style and call only this API and its WebSocket push
 * (`connectSource`, the live tail); nothing inline, nothing from elsewhere, and no page may frame it.
 */
function pageCsp(connectSource: string): string {
  return (
    `default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'${connectSource}; ` +
    "base-uri 'none'; form-action 'none'; frame-ancestors"
  );
}
export const CONSOLE_CSP = `${pageCsp("")} 'none'`;

/**
 * The CSP source of the WebSocket push's URL (WEBSOCKET_URL, told by GET /v1/health): its scheme,
 * host and port, with a leading space; empty when unset. Anything but a ws: or wss: URL would be
 * spliced into a header, so it is refused at cold start.
 */
export function websocketSource(setting: string | undefined): string {
  if (setting === undefined || setting === "") return "";
  let url: URL | undefined;
  try {
    url = new URL(setting);
  } catch {
    url = undefined;
  }
  if (!url || (url.protocol !== "ws:" && url.protocol !== "wss:")) {
    throw new Error(`WEBSOCKET_URL: ${JSON.stringify(setting)} is not a ws:// or wss:// URL`);
  }
  return ` ${url.protocol}//${url.host}`;
}

const SECURITY_HEADERS = {
  "content-security-policy": CONSOLE_CSP,
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/** The page routes: the console, its assets, and the portal, framed only by `frameAncestors`; both may connect to `connectSource` too. */
export function consolePages(frameAncestors: string, connectSource = "") {
  const serveConsolePage = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const response = await serveConsole(event);
    if (connectSource === "") return response;
    return { ...response, headers: { ...response.headers, "content-security-policy": `${pageCsp(connectSource)} 'none'` } };
  };
  const servePortal = async (event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> => {
    const response = await serveConsole(event);
    if (frameAncestors === "'none'" && connectSource === "") return response;
    // X-Frame-Options cannot name several origins; frame-ancestors supersedes it wherever it is understood.
    const { "x-frame-options": deny, ...headers } = response.headers ?? {};
    return {
      ...response,
      headers: {
        ...headers,
        ...(frameAncestors === "'none'" && deny !== undefined && { "x-frame-options": deny }),
        "content-security-policy": `${pageCsp(connectSource)} ${frameAncestors}`,
      },
    };
  };
  return [
    { method: "GET" as const, path: CONSOLE_PATH, handler: serveConsolePage },
    { method: "GET" as const, path: `${CONSOLE_PATH}/{asset}`, handler: serveConsole },
    { method: "GET" as const, path: PORTAL_PATH, handler: servePortal },
  ];
}

/**
 * Serves the console from the gzipped bundle built into the function. The bundle module is imported
 * on the first console request only, so an API container that never serves the console never
 * evaluates it.
 */
export async function serveConsole(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  // The router reaches /console and /portal with one trailing slash too; the page's links are relative
  // to the bare path (console/app.js), so that is where the browser goes, its query kept.
  if (event.rawPath === `${CONSOLE_PATH}/` || event.rawPath === `${PORTAL_PATH}/`) {
    const location = event.rawPath.slice(0, -1) + (event.rawQueryString ? `?${event.rawQueryString}` : "");
    return { statusCode: 308, headers: { ...SECURITY_HEADERS, location, "cache-control": "no-store" }, body: "" };
  }
  const { CONSOLE_ASSETS } = await import("./console-bundle.generated.ts");
  const name =
    event.rawPath === CONSOLE_PATH || event.rawPath === PORTAL_PATH ? "index.html" : event.rawPath.slice(CONSOLE_PATH.length + 1);
  const asset = Object.hasOwn(CONSOLE_ASSETS, name) ? CONSOLE_ASSETS[name] : undefined;
  if (!asset) {
    return {
      statusCode: 404,
      headers: { ...SECURITY_HEADERS, "content-type": "text/plain; charset=utf-8", "cache-control": "no-store" },
      body: "Not found",
    };
  }
  // Revalidated on every load, so a deploy shows at once; an unchanged asset costs a 304.
  const headers = {
    ...SECURITY_HEADERS,
    "content-type": asset.type,
    "cache-control": "no-cache",
    etag: asset.etag,
    vary: "accept-encoding",
  };
  if (header(event, "if-none-match") === asset.etag) return { statusCode: 304, headers, body: "" };
  const gzip = /\bgzip\b/i.test(header(event, "accept-encoding") ?? "");
  const body = gzip ? asset.gzip : gunzipSync(Buffer.from(asset.gzip, "base64")).toString("base64");
  return { statusCode: 200, headers: { ...headers, ...(gzip && { "content-encoding": "gzip" }) }, body, isBase64Encoded: true };
}
