import type { Context } from "aws-lambda";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { Log } from "../../functions/adapters/lambda/logger.ts";
import { websocketSource } from "../../functions/api/console-page.ts";
import { createApiHandler } from "../../functions/api/handler.ts";
import { Authenticator } from "../../functions/core/access/api-keys.ts";
import { memoryApiDeps } from "../support/api-deps.ts";
import { apiEvent } from "../support/api-event.ts";

/*
 * The console's live tail connects to the WebSocket push: its policy's connect-src names the push's
 * origin (WEBSOCKET_URL) and nothing else, and a setting that is not a ws:// or wss:// URL, which would
 * be spliced into the header, is refused at cold start.
 */
const silent: Log = { info: () => undefined, warn: () => undefined, error: () => undefined, attempt: () => undefined };

async function page(path: string, websocketUrl?: string) {
  const deps = { ...memoryApiDeps(), websocketUrl };
  const handler = createApiHandler(deps, async () => new Authenticator("admin-key", deps.apiKeys), silent);
  return handler(apiEvent("GET", path, { key: null }), {} as Context);
}

const connectSrc = (csp: unknown) => /connect-src ([^;]*);/.exec(String(csp))?.[1];

describe("the console's policy and the WebSocket push", () => {
  it("lets the console and the portal connect to the push's origin only (scheme, host and port of any ws/wss URL)", async () => {
    const urls = fc.record({
      scheme: fc.constantFrom("ws", "wss"),
      host: fc.domain(),
      port: fc.option(fc.integer({ min: 1, max: 65535 }), { nil: undefined }),
      path: fc.webPath(),
    });
    await fc.assert(
      fc.asyncProperty(urls, async ({ scheme, host, port, path }) => {
        const url = `${scheme}://${host}${port === undefined ? "" : `:${port}`}${path}`;
        const origin = `${scheme}://${new URL(url).host}`;
        for (const served of [await page("/console", url), await page("/portal", url)]) {
          expect(connectSrc(served.headers?.["content-security-policy"])).toBe(`'self' ${origin}`);
          expect(served.headers?.["content-security-policy"]).toMatch(/frame-ancestors 'none'$/);
          expect(served.headers?.["x-frame-options"]).toBe("DENY");
        }
      }),
      { numRuns: 20 },
    );
  });

  it("connects to its own origin only when the stack has no push", async () => {
    expect(connectSrc((await page("/console")).headers?.["content-security-policy"])).toBe("'self'");
  });

  it("refuses at cold start a WEBSOCKET_URL that is not a ws:// or wss:// URL", () => {
    const bad = fc.oneof(
      fc.webUrl(),
      fc.string().filter((s) => s !== "" && !/^wss?:\/\/[^\s;]+$/.test(s)),
      fc.constantFrom("wss://a.example; script-src *", "ws:// a", "javascript:alert(1)"),
    );
    fc.assert(
      fc.property(bad, (setting) => {
        let parsed: URL | undefined;
        try {
          parsed = new URL(setting);
        } catch {
          parsed = undefined;
        }
        fc.pre(parsed === undefined || (parsed.protocol !== "ws:" && parsed.protocol !== "wss:"));
        expect(() => websocketSource(setting)).toThrow(/WEBSOCKET_URL/);
      }),
    );
  });
});
