import { readdirSync, readFileSync } from "node:fs";
import { gunzipSync, gzipSync } from "node:zlib";
import { describe, expect, it } from "vitest";
import { buildConsole } from "../../console/build.ts";
import { CONSOLE_ASSETS } from "../../functions/api/console-bundle.generated.ts";

/** The page's JavaScript and CSS together, gzipped: a budget that keeps the console a small page. */
const BUDGET_GZIP_BYTES = 24 * 1024;

describe("the console bundle", () => {
  it("is the build of console/ as committed (run `npm run build:console` after a change)", async () => {
    const built = await buildConsole();
    const committed = Object.fromEntries(
      Object.entries(CONSOLE_ASSETS).map(([name, a]) => [
        name,
        { type: a.type, text: gunzipSync(Buffer.from(a.gzip, "base64")).toString() },
      ]),
    );
    expect(committed).toEqual(built);
  });

  it("stays within its gzipped budget for JavaScript and CSS", async () => {
    const built = await buildConsole();
    const bytes = ["app.js", "app.css"].reduce((n, name) => n + gzipSync(built[name]?.text ?? "", { level: 9 }).length, 0);
    expect(bytes).toBeGreaterThan(1000);
    expect(bytes).toBeLessThanOrEqual(BUDGET_GZIP_BYTES);
  });

  it("never parses strings as HTML or code in the browser", () => {
    const dir = new URL("../../console/src/", import.meta.url);
    const sources = readdirSync(dir).map((f) => [f, readFileSync(new URL(f, dir), "utf8")] as const);
    expect(sources.length).toBeGreaterThan(5);
    for (const [file, text] of sources) {
      expect({
        file,
        found: text.match(/innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\(|new Function|DOMParser/g),
      }).toEqual({ file, found: null });
    }
  });
});
