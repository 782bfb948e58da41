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
