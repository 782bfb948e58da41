import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import config, { TEST_FOLDERS } from "../../vitest.config.ts";

const ROOT = join(import.meta.dirname, "..", "..");
const scripts = (JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { scripts: Record<string, string> }).scripts;
const projects = (config.test?.projects ?? []) as { test: { name: string; include: string[] } }[];

/** Every folder of test/ with a test file in it, found here without the config's help. */
const folders = readdirSync(join(ROOT, "test"), { withFileTypes: true })
  .filter(
    (e) => e.isDirectory() && readdirSync(join(ROOT, "test", e.name), { recursive: true }).some((f) => String(f).endsWith(".test.ts")),
  )
  .map((e) => e.name)
  .sort();

describe("tests by kind", () => {
  it("has a vitest project for every folder of test/ with tests, taking that folder's tests", () => {
    expect(folders.length).toBeGreaterThan(1);
    expect(TEST_FOLDERS).toEqual(folders);
    expect(projects.map((p) => [p.test.name, p.test.include])).toEqual(folders.map((f) => [f, [`test/${f}/**/*.test.ts`]]));
  });

  it("runs every project with npm test, and each alone with npm run test:<folder>", () => {
    expect(scripts.test).toBe("vitest run");
    for (const folder of folders) expect(scripts[`test:${folder}`], folder).toBe(`vitest run --project ${folder}`);
    const kinds = Object.keys(scripts).filter((name) => name.startsWith("test:"));
    expect(kinds.sort()).toEqual(folders.map((f) => `test:${f}`));
  });
});
