import { gunzipSync } from "node:zlib";
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from "aws-lambda";
import { header } from "./request.ts";

/** The console's path under the API: the page itself, and its assets below it. */
export const CONSOLE_PATH = "/console";

/** True for the console's page and assets, which are served without an API key (the page asks for one). */
export function isConsolePath(path: string): boolean {
  return path === CONSOLE_PATH || path.startsWith(`${CONSOLE_PATH}/`);
}

/**
 * The page may load only its own script and style and call only this API; nothing inline, nothing
 * from elsewhere, and no page may frame it.
 */
export const CONSOLE_CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; " +
  "base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

const SECURITY_HEADERS = {
  "content-security-policy": CONSOLE_CSP,
  "x-frame-options": "DENY",
  "x-content-type-options": "nosniff",
  "referrer-policy": "no-referrer",
  "cross-origin-opener-policy": "same-origin",
  "cross-origin-resource-policy": "same-origin",
};

/**
 * Serves the console from the gzipped bundle built into the function. The bundle module is imported
 * on the first console request only, so an API container that never serves the console never
 * evaluates it.
 */
export async function serveConsole(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const { CONSOLE_ASSETS } = await import("./console-bundle.generated.ts");
  const name = event.rawPath === CONSOLE_PATH ? "index.html" : event.rawPath.slice(CONSOLE_PATH.length + 1);
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
