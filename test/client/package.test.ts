import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

/*
 * The client as another project gets it: the package is built as `npm run build` builds it, and a
 * consumer project that has it in node_modules imports it through its exports map, at run time and
 * in the type checker.
 */
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const work = mkdtempSync(join(tmpdir(), "hookrelay-client-"));
const pkg = join(work, "pkg");
const consumer = join(work, "consumer");

afterAll(() => rmSync(work, { recursive: true, force: true }));

function run(command: string, args: string[], cwd: string) {
  const result = spawnSync(command, args, { cwd, encoding: "utf8" });
  return { status: result.status, output: `${result.stdout}${result.stderr}` };
}

describe("the @hookrelay/client package", () => {
  // Two TypeScript compilations: on a busy 2-core machine they take well over the default minute.
  it("builds, and another project imports it by name with its types", { timeout: 240_000 }, () => {
    mkdirSync(pkg);
    cpSync(join(ROOT, "clients/typescript/package.json"), join(pkg, "package.json"));
    cpSync(join(ROOT, "clients/typescript/tsconfig.build.json"), join(pkg, "tsconfig.build.json"));
    cpSync(join(ROOT, "clients/typescript/src"), join(pkg, "src"), { recursive: true });
    // Its dependencies (openapi-fetch, standardwebhooks) as npm would install them.
    symlinkSync(join(ROOT, "node_modules"), join(pkg, "node_modules"));
    const build = run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "tsconfig.build.json"], pkg);
    expect(build.output).toBe("");
    expect(build.status).toBe(0);

    mkdirSync(join(consumer, "node_modules/@hookrelay"), { recursive: true });
    symlinkSync(pkg, join(consumer, "node_modules/@hookrelay/client"));
    writeFileSync(join(consumer, "package.json"), JSON.stringify({ name: "consumer", type: "module", private: true }));
    writeFileSync(
      join(consumer, "main.ts"),
      [
        'import { HookrelayClient, HookrelayError, verify, type ErrorCode, type EventView } from "@hookrelay/client";',
        'const client = new HookrelayClient({ baseUrl: "http://127.0.0.1:1", apiKey: "k" });',
        'const code: ErrorCode = "idempotency_conflict";',
        "// @ts-expect-error not a code the API document lists",
        'const wrong: ErrorCode = "no_such_code";',
        "const view: EventView | undefined = undefined;",
        "console.log(JSON.stringify([typeof client.emit, typeof verify, new HookrelayError(409, undefined, null).status, code, wrong, view ?? null]));",
      ].join("\n"),
    );
    writeFileSync(
      join(consumer, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          module: "NodeNext",
          moduleResolution: "NodeNext",
          target: "ES2022",
          lib: ["ES2022", "DOM"],
          strict: true,
          noEmit: true,
          types: [],
        },
        files: ["main.ts"],
      }),
    );
    const typecheck = run(process.execPath, [join(ROOT, "node_modules/typescript/bin/tsc"), "-p", "."], consumer);
    expect(typecheck.output).toBe("");
    expect(typecheck.status).toBe(0);
    const started = run(process.execPath, ["main.ts"], consumer);
    expect(started.status).toBe(0);
    expect(JSON.parse(started.output)).toEqual(["function", "function", 409, "idempotency_conflict", "no_such_code", null]);
  });
});
