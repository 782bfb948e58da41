import { afterEach, describe, expect, it, vi } from "vitest";
import { createLog } from "../../functions/adapters/lambda/logger.ts";

/** Everything written to stdout and stderr while `fn` runs, one entry per JSON line. */
function written(fn: () => void): Record<string, unknown>[] {
  const chunks: string[] = [];
  const capture = (chunk: unknown) => {
    chunks.push(String(chunk));
    return true;
  };
  const out = vi.spyOn(process.stdout, "write").mockImplementation(capture);
  const err = vi.spyOn(process.stderr, "write").mockImplementation(capture);
  try {
    fn();
  } finally {
    out.mockRestore();
    err.mockRestore();
  }
  return chunks
    .flatMap((c) => c.split("\n"))
    .filter((l) => l.startsWith("{"))
    .map((l) => JSON.parse(l) as Record<string, unknown>);
}

describe("the JSON log under Lambda's log controls at INFO", () => {
  afterEach(() => vi.unstubAllEnvs());

  for (const [level, kept] of [
    ["WARN", ["WARN", "ERROR"]],
    ["ERROR", ["ERROR"]],
    ["INFO", ["INFO", "WARN", "ERROR"]],
  ] as const) {
    it(`applies LOG_LEVEL=${level} itself, though Powertools takes Lambda's level`, () => {
      vi.stubEnv("AWS_LAMBDA_LOG_LEVEL", "INFO");
      const log = createLog("json", level, "api");
      const lines = written(() => {
        log.info("an info line");
        log.warn("a warn line");
        log.error("an error line");
      });
      expect(lines.map((l) => l.level)).toEqual(kept);
    });
  }
});

describe("the JSON log's level rules, for every LOG_LEVEL and Lambda level", () => {
  afterEach(() => vi.unstubAllEnvs());

  // The rule Powertools applied with the wrapper before it: a line is written when its level is at
  // least LOG_LEVEL and at least Lambda's level (FATAL lets none of ours through).
  const order = ["TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"];
  const calls = [
    ["DEBUG", (log: ReturnType<typeof createLog>) => log.attempt(attempt("succeeded"))],
    ["INFO", (log: ReturnType<typeof createLog>) => log.attempt(attempt("failed"))],
    ["INFO", (log: ReturnType<typeof createLog>) => log.info("i")],
    ["WARN", (log: ReturnType<typeof createLog>) => log.warn("w")],
    ["ERROR", (log: ReturnType<typeof createLog>) => log.error("e")],
  ] as const;

  for (const level of ["DEBUG", "INFO", "WARN", "ERROR"]) {
    for (const lambda of [undefined, "TRACE", "DEBUG", "INFO", "WARN", "ERROR", "FATAL"]) {
      it(`LOG_LEVEL=${level}, AWS_LAMBDA_LOG_LEVEL=${lambda ?? "unset"}`, () => {
        if (lambda !== undefined) vi.stubEnv("AWS_LAMBDA_LOG_LEVEL", lambda);
        const floor = Math.max(order.indexOf(level), lambda === undefined ? 0 : order.indexOf(lambda));
        let log: ReturnType<typeof createLog> | undefined;
        const atStart = written(() => {
          log = createLog("json", level, "api");
        });
        // Said once at start when Lambda's level hides lines LOG_LEVEL asks for, if warnings pass Lambda's level.
        const warned =
          lambda !== undefined && order.indexOf(lambda) > order.indexOf(level) && order.indexOf(lambda) <= order.indexOf("WARN");
        expect(atStart.map((l) => l.level)).toEqual(warned ? ["WARN"] : []);
        for (const [callLevel, call] of calls) {
          const lines = written(() => call(log as ReturnType<typeof createLog>));
          expect(lines.map((l) => l.level)).toEqual(order.indexOf(callLevel) >= floor ? [callLevel] : []);
        }
      });
    }
  }
});

function attempt(status: "succeeded" | "failed") {
  return {
    eventId: "evt_1",
    endpointId: "ep_1",
    tenantId: "t",
    attempt: 1,
    trigger: "scheduled" as const,
    status,
    url: "https://a.example/hook",
    at: "2026-12-01T00:00:00.000Z",
    durationMs: 3,
    expiresAt: 0,
  };
}
