/**
 * Every ```sh/```bash and ```ts snippet of README.md and docs/*.md (and CONTRIBUTING.md,
 * SECURITY.md) runs against the local stack, with `API` and `KEY` set as the docs tell the reader
 * and a receiver on 127.0.0.1, or carries `<!-- snippet: not-run (why) -->` and is checked to parse
 * (`bash -n`). Every TypeScript snippet, run or not, compiles with the project's options (noEmit).
 */
import { rmSync } from "node:fs";
import { createServer, type IncomingHttpHeaders, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { eventually, type RunningStack, startStack } from "../support/local-stack.ts";
import { docPages, readFromRoot, type Snippet, snippets } from "./markdown.ts";
import { curlHome, type Place, parseShell, placed, readerEnv, runShell, runTypeScript, typeCheck } from "./run-snippets.ts";

const ALL = docPages().flatMap((page) => snippets(page, readFromRoot(page) ?? ""));
const name = (s: Snippet) => `${s.page}:${s.line} (${s.lang}${s.notRun ? `, not run: ${s.notRun}` : ""})`;

let stack: RunningStack;
let receiver: Server;
let place: Place;
let env: Record<string, string>;
/** The pages whose snippets registered the test's receiver as an endpoint. */
const registeredOn = new Set<string>();
const received: { at: number; headers: IncomingHttpHeaders; body: string }[] = [];

beforeAll(async () => {
  stack = await startStack();
  receiver = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      received.push({ at: Date.now(), headers: request.headers, body });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  place = { apiUrl: stack.apiUrl, receiver: `127.0.0.1:${(receiver.address() as AddressInfo).port}` };
  env = readerEnv(place, curlHome());
});

afterAll(async () => {
  await stack?.stop();
  await new Promise((resolve) => receiver?.close(resolve));
  if (env?.CURL_HOME) rmSync(env.CURL_HOME, { recursive: true, force: true });
});

describe("the docs' snippets", () => {
  it("are found in the README and docs/, shell and TypeScript, and most of them run", () => {
    expect(ALL.some((s) => s.page === "README.md" && s.lang === "sh" && !s.notRun)).toBe(true);
    expect(ALL.some((s) => s.lang === "ts" && !s.notRun)).toBe(true);
    expect(ALL.filter((s) => !s.notRun).length).toBeGreaterThanOrEqual(ALL.filter((s) => s.notRun).length / 2);
  });

  it.each(ALL.filter((s) => s.lang === "sh" && !s.notRun).map((s) => [name(s), s] as const))("%s runs", async (_, snippet) => {
    const since = Date.now();
    const result = await runShell(placed(snippet.code, place), env);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
    if (snippet.code.includes("127.0.0.1:4000/")) registeredOn.add(snippet.page);
    if (registeredOn.has(snippet.page) && /\$API\/v1\/events /.test(snippet.code)) {
      // The page registered the receiver and this snippet emits to it: the webhook arrives there, signed.
      const hit = await eventually(async () => received.find((r) => r.at >= since));
      expect(hit.headers["webhook-signature"]).toMatch(/^v1,/);
      expect(hit.headers["webhook-id"]).toMatch(/^msg_/);
    }
  });

  it.each(ALL.filter((s) => s.lang === "sh" && s.notRun).map((s) => [name(s), s] as const))("%s parses", async (_, snippet) => {
    const result = await parseShell(snippet.code);
    expect(result.code, result.stderr).toBe(0);
  });

  it.each(ALL.filter((s) => s.lang === "ts" && !s.notRun).map((s) => [name(s), s] as const))("%s runs", async (_, snippet) => {
    const result = await runTypeScript(placed(snippet.code, place), env);
    expect(result.code, `${result.stdout}\n${result.stderr}`).toBe(0);
  });

  it("compile, every TypeScript one, with the project's compiler options", () => {
    const diagnostics = typeCheck(ALL.filter((s) => s.lang === "ts"));
    expect(Object.fromEntries([...diagnostics].map(([s, d]) => [name(s), d]))).toEqual(
      Object.fromEntries(ALL.filter((s) => s.lang === "ts").map((s) => [name(s), []])),
    );
  });
});

describe("the snippet checks", () => {
  it("fail a shell snippet whose request the API refuses, an unset variable, or one that does not parse", async () => {
    const refused = await runShell(`curl -s $API/v1/events/evt_missing -H "authorization: Bearer $KEY"`, env);
    expect(refused.code).not.toBe(0);
    expect(refused.stdout).toMatch(/not_found/);
    expect((await runShell(`curl -s "$API/v1/endpoints/$NOT_SET"`, env)).code).not.toBe(0);
    expect((await parseShell("if then fi")).code).not.toBe(0);
  });

  it("fail a TypeScript snippet that throws or does not compile", async () => {
    expect((await runTypeScript(`throw new Error("no");`, env)).code).not.toBe(0);
    const bad: Snippet = { page: "x.md", line: 1, lang: "ts", code: `const n: number = "text";\nexport {};` };
    expect(typeCheck([bad]).get(bad)?.length).toBeGreaterThan(0);
  });
});
