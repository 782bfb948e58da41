import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { parseImportArgs } from "../../cli/import-svix/options.ts";
import { UsageError } from "../../cli/listen/errors.ts";

const ENV = {
  SVIX_SERVER_URL: "https://api.svix.example",
  SVIX_TOKEN: "sk",
  HOOKRELAY_API_URL: "http://127.0.0.1:3000",
  HOOKRELAY_API_KEY: "k",
};

describe("hookrelay import-svix's options", () => {
  it("take flags over the environment", () => {
    expect(parseImportArgs(["--from", "http://127.0.0.1:1", "--key", "admin"], ENV)).toEqual({
      fromUrl: "http://127.0.0.1:1",
      fromKey: "sk",
      apiUrl: "http://127.0.0.1:3000",
      apiKey: "admin",
    });
    expect(parseImportArgs(["--help"], {})).toBe("help");
  });

  it("refuse to run without any one of the four, naming it (a key is never sent to a server nobody named)", () => {
    for (const missing of Object.keys(ENV) as (keyof typeof ENV)[]) {
      const { [missing]: _gone, ...env } = ENV;
      expect(() => parseImportArgs([], env)).toThrow(UsageError);
    }
  });

  it("refuse any URL that is not http(s), and any unknown flag", () => {
    fc.assert(
      fc.property(
        fc.constantFrom("ftp://x", "not a url", "file:///etc", "javascript:alert(1)"),
        fc.constantFrom("--from", "--api"),
        (url, flag) => {
          expect(() => parseImportArgs([flag, url], ENV)).toThrow(/must be an http\(s\) URL/);
        },
      ),
    );
    expect(() => parseImportArgs(["--form", "x"], ENV)).toThrow(UsageError);
  });
});
