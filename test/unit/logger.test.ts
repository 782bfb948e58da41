import fc from "fast-check";
import * as v from "valibot";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createLog, redactUrl } from "../../functions/adapters/lambda/logger.ts";
import type { AttemptRecord } from "../../functions/core/kernel/model.ts";
import { CreateEndpoint } from "../../functions/core/requests/validation.ts";

/** Everything written to stdout and stderr while `run` runs (Powertools writes warnings and errors to stderr). */
function captured(run: () => void): string {
  const chunks: string[] = [];
  const record = (chunk: string | Uint8Array) => {
    chunks.push(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString("utf8"));
    return true;
  };
  const spies = [
    vi.spyOn(process.stdout, "write").mockImplementation(record),
    vi.spyOn(process.stderr, "write").mockImplementation(record),
  ];
  try {
    run();
  } finally {
    for (const spy of spies) spy.mockRestore();
  }
  return chunks.join("");
}

afterEach(() => vi.restoreAllMocks());

const attempt = (url: string, overrides: Partial<AttemptRecord> = {}): AttemptRecord => ({
  eventId: "evt_1",
  endpointId: "ep_1",
  tenantId: "acme",
  attempt: 1,
  trigger: "scheduled",
  status: "failed",
  url,
  at: "2026-12-01T00:00:00.000Z",
  durationMs: 12,
  statusCode: 500,
  expiresAt: 1,
  ...overrides,
});

/** A secret as a receiver might put it in its URL: long enough that it cannot turn up by chance. */
const secret = fc.stringMatching(/^[A-Za-z0-9_-]{16,40}$/).map((s) => `SECRET${s}`);
const name = fc.stringMatching(/^[a-z_]{1,12}$/);
/** An endpoint URL carrying secrets in its query (as named values and a bare one) and in its fragment. */
const secretUrl = fc
  .record({
    path: fc.stringMatching(/^(\/[a-z0-9]{1,8}){0,3}$/),
    params: fc.array(fc.tuple(name, secret), { minLength: 1, maxLength: 4 }),
    bare: fc.option(secret, { nil: undefined }),
    fragment: fc.option(secret, { nil: undefined }),
  })
  .map(({ path, params, bare, fragment }) => {
    const query = [...params.map(([n, s]) => `${n}=${encodeURIComponent(s)}`), ...(bare ? [bare] : [])].join("&");
    return {
      url: `https://hooks.example.com${path}?${query}${fragment ? `#${fragment}` : ""}`,
      names: params.map(([n]) => n),
      secrets: [...params.map(([, s]) => s), ...(bare ? [bare] : []), ...(fragment ? [fragment] : [])],
    };
  });

describe("log lines", () => {
  it("in the pretty format name what an attempt did, with no empty field: HTTP status, ok or error, its trigger, and feed for no URL", () => {
    const lines = captured(() => {
      const log = createLog("pretty", "INFO", "delivery");
      log.attempt(attempt("https://a.example/hook", { status: "succeeded", statusCode: 204 }));
      log.attempt(attempt("https://sqs.us-east-1.amazonaws.com/1/q", { status: "succeeded", statusCode: undefined }));
      log.attempt(attempt("", { status: "succeeded", statusCode: undefined }));
      log.attempt(attempt("https://a.example/hook", { statusCode: undefined, error: "timeout", trigger: "manual" }));
    })
      .trimEnd()
      .split("\n")
      .map((l) => l.replace(/^\S+ send +/, ""));
    expect(lines).toEqual([
      "succeeded evt_1 -> ep_1 #1 HTTP 204 12ms https://a.example/hook",
      "succeeded evt_1 -> ep_1 #1 ok 12ms https://sqs.us-east-1.amazonaws.com/1/q",
      "succeeded evt_1 -> ep_1 #1 ok 12ms feed",
      "failed    evt_1 -> ep_1 #1 manual timeout 12ms https://a.example/hook",
    ]);
  });

  it.each(["json", "pretty"] as const)("in the %s format show the names of an attempt URL's query but none of its values", (format) => {
    fc.assert(
      fc.property(
        secretUrl,
        fc.constantFrom<AttemptRecord["status"]>("failed", "exhausted", "skipped"),
        ({ url, names, secrets }, status) => {
          const output = captured(() => createLog(format, "INFO", "delivery").attempt(attempt(url, { status })));
          expect(output).toContain("hooks.example.com");
          for (const n of names) expect(output).toContain(`${n}=`);
          for (const s of secrets) expect(output).not.toContain(s);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("redacts `?access_token=…` in both formats: the report's case", () => {
    for (const format of ["json", "pretty"] as const) {
      const output = captured(() =>
        createLog(format, "INFO", "delivery").attempt(attempt("https://a.example/hook?access_token=tok_live_123&v=2")),
      );
      expect(output).not.toContain("tok_live_123");
      expect(output).toContain("access_token=");
    }
  });

  it.each(["json", "pretty"] as const)("in the %s format stay one line per entry whatever a stored URL or a field holds", (format) => {
    const breaks = fc.constantFrom("\n", "\r", "\r\n", "\u2028", "\u2029", "\u0085", "\x1b[2K");
    fc.assert(
      fc.property(fc.string(), breaks, fc.string(), ({ length }, br, tail) => {
        // A URL stored before URLs were parsed at registration, with a forged line inside.
        const forged = `https://a.example/x${br}12:00:00.000 send  succeeded evt_forged -> ep_1 #1 HTTP 200${tail.slice(0, length)}`;
        const output = captured(() => {
          const log = createLog(format, "INFO", "delivery");
          log.attempt(attempt(forged));
          log.warn(`a message${br}with a break`, { error: `Error: x${br}forged line` });
        });
        expect(output.split("\n").filter((line) => line !== "")).toHaveLength(2);
        expect(output.endsWith("\n")).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});

describe("redactUrl", () => {
  it("keeps what has no secret as it is", () => {
    expect(redactUrl("https://a.example/path/x")).toBe("https://a.example/path/x");
    expect(redactUrl("https://a.example/?")).toBe("https://a.example/?");
    expect(redactUrl("https://a.example/?a=1&b&c=")).toBe("https://a.example/?a=REDACTED&REDACTED&c=REDACTED");
  });
});

describe("endpoint URLs at registration", () => {
  it("refuses spaces and control characters anywhere, which the URL parser would have dropped silently", () => {
    const control = fc.oneof(fc.integer({ min: 0, max: 0x20 }), fc.integer({ min: 0x7f, max: 0x9f })).map((c) => String.fromCharCode(c));
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ["https"], withQueryParameters: true }), control, fc.nat(), (url, c, where) => {
        const at = where % (url.length + 1);
        const result = v.safeParse(CreateEndpoint, { url: `${url.slice(0, at)}${c}${url.slice(at)}` });
        expect(result.success).toBe(false);
        expect(result.issues?.map((i) => i.message)).toContain("must not contain spaces or control characters (percent-encode them)");
      }),
      { numRuns: 100 },
    );
    // The report's case.
    expect(v.safeParse(CreateEndpoint, { url: "https://a.example/x\r\n12:00:00.000 info  forged" }).success).toBe(false);
  });

  it("stores the URL as parsed, so what is delivered to, logged and shown is one and the same", () => {
    fc.assert(
      fc.property(fc.webUrl({ validSchemes: ["https"], withQueryParameters: true, withFragments: true }), (url) => {
        const result = v.safeParse(CreateEndpoint, { url });
        if (!result.success) return;
        expect(result.output.url).toBe(new URL(url).href);
        // Parsing the stored form again changes nothing.
        expect(new URL(result.output.url).href).toBe(result.output.url);
      }),
      { numRuns: 1_000 },
    );
    expect(v.parse(CreateEndpoint, { url: "HTTPS://Hooks.Example.com:443/a/../b?x=ü" }).url).toBe("https://hooks.example.com/b?x=%C3%BC");
  });
});
