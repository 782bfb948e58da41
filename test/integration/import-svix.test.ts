/**
 * `hookrelay import-svix` as a real process, copying from one local stack's Svix-compatible API
 * (standing in for a Svix server) to another's: apps keep their uid or id, endpoints their uid (or
 * Svix id), URL, filters, headers, metadata and secret; a second run copies nothing; an endpoint the
 * target refuses is reported and the run exits 1.
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Svix } from "svix-2";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningStack, startStack } from "../support/local-stack.ts";

const CLI = fileURLToPath(new URL("../../cli/hookrelay.ts", import.meta.url));
const KEY = "local-admin-key";
let source: RunningStack;
let target: RunningStack;

beforeAll(async () => {
  // The target holds at most 2 endpoints per tenant, so one of acme's 3 is refused there.
  [source, target] = await Promise.all([startStack(), startStack({ env: { MAX_ENDPOINTS_PER_TENANT: "2" } })]);
});

afterAll(async () => {
  await Promise.all([source?.stop(), target?.stop()]);
});

function runImport(): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const { HOOKRELAY_API_URL: _u, HOOKRELAY_API_KEY: _k, ...clean } = process.env;
  const env = { ...clean, SVIX_SERVER_URL: `${source.apiUrl}/`, SVIX_TOKEN: KEY, HOOKRELAY_API_URL: target.apiUrl, HOOKRELAY_API_KEY: KEY };
  const child = spawn(process.execPath, [CLI, "import-svix"], { env, stdio: ["ignore", "pipe", "pipe"] });
  let [stdout, stderr] = ["", ""];
  child.stdout.on("data", (d: Buffer) => {
    stdout += d.toString();
  });
  child.stderr.on("data", (d: Buffer) => {
    stderr += d.toString();
  });
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

describe("hookrelay import-svix", () => {
  it("copies apps, endpoints and secrets; a second run copies nothing; a refused endpoint is reported", async () => {
    const from = new Svix(KEY, { serverUrl: source.apiUrl });
    const to = new Svix(KEY, { serverUrl: target.apiUrl });
    const acme = await from.application.create({ name: "Acme", uid: "acme", metadata: { plan: "pro" } });
    const bare = await from.application.create({ name: "No uid" });
    const made = [
      await from.endpoint.create(acme.id, {
        url: "http://127.0.0.1:9/a",
        uid: "orders",
        eventTypes: ["order.created"],
        headers: { "x-team": "a" },
      }),
      await from.endpoint.create(acme.id, { url: "http://127.0.0.1:9/b", metadata: { k: "v" }, disabled: true }),
      await from.endpoint.create(acme.id, { url: "http://127.0.0.1:9/c" }),
      await from.endpoint.create(bare.id, { url: "http://127.0.0.1:9/d" }),
    ];
    const first = await runImport();
    expect(first.code, first.stderr).toBe(1);
    expect(first.stdout).toContain("2 apps; 3 endpoints copied, 0 kept, 1 failed");
    expect(first.stdout).toMatch(/failed {2}acme ep_\S+: .*409/);

    expect((await to.application.get("acme")).metadata).toEqual({ plan: "pro" });
    expect((await to.application.get(bare.id)).id).toBe(bare.id);
    for (const endpoint of made.slice(0, 2)) {
      const uid = endpoint.uid ?? endpoint.id;
      const copied = await to.endpoint.get("acme", uid);
      expect(copied).toMatchObject({
        url: endpoint.url,
        disabled: endpoint.disabled,
        eventTypes: endpoint.eventTypes ?? null,
        metadata: endpoint.metadata,
      });
      expect((await to.endpoint.getSecret("acme", uid)).key).toBe((await from.endpoint.getSecret(acme.id, endpoint.id)).key);
      expect((await to.endpoint.getHeaders("acme", uid)).headers).toEqual((await from.endpoint.getHeaders(acme.id, endpoint.id)).headers);
    }
    expect((await to.endpoint.getSecret(bare.id, made[3]?.id as string)).key).toBe(
      (await from.endpoint.getSecret(bare.id, made[3]?.id as string)).key,
    );

    const second = await runImport();
    expect(second.stdout).toContain("2 apps; 0 endpoints copied, 3 kept, 1 failed");
  });
});
