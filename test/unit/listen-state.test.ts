import { spawnSync } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { type ListenState, loadState, lockState, removeState, saveState, stateFile } from "../../cli/listen/state.ts";

const dir = mkdtempSync(join(tmpdir(), "hookrelay-listen-state-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const API = "http://127.0.0.1:3000";

describe("listen's state file", () => {
  it("is one file per API and endpoint, or per API, event types and target for a temporary endpoint", () => {
    const files = [
      stateFile(dir, API, { endpointId: "ep_1" }),
      stateFile(dir, API, { endpointId: "ep_2" }),
      stateFile(dir, "http://127.0.0.1:3001", { endpointId: "ep_1" }),
      stateFile(dir, API, { events: [], forwardTo: "http://127.0.0.1:4000/" }),
      stateFile(dir, API, { events: ["a.b"], forwardTo: "http://127.0.0.1:4000/" }),
      stateFile(dir, API, { events: [], forwardTo: "http://127.0.0.1:4001/" }),
    ];
    expect(new Set(files).size).toBe(files.length);
    expect(stateFile(dir, API, { endpointId: "ep_1" })).toBe(files[0]);
    for (const file of files) expect(file.startsWith(`${dir}/`)).toBe(true);
  });

  it("reads back what was saved, replaces it whole, and leaves no temporary file behind", async () => {
    const file = join(dir, "nested", "one.json");
    const first: ListenState = { apiUrl: API, endpointId: "ep_1", temporary: true, done: ["fi_1"] };
    const second: ListenState = { apiUrl: API, endpointId: "ep_1", temporary: true, cursor: "c2", done: [] };
    await saveState(file, first);
    expect(await loadState(file)).toEqual(first);
    await saveState(file, second);
    expect(await loadState(file)).toEqual(second);
    expect(JSON.parse(readFileSync(file, "utf8"))).toEqual(second);
    expect(readdirSync(join(dir, "nested"))).toEqual(["one.json"]);
    await removeState(file);
    expect(await loadState(file)).toBeUndefined();
  });

  it("starts over when the file is missing or unreadable", async () => {
    expect(await loadState(join(dir, "missing.json"))).toBeUndefined();
    const garbled = join(dir, "garbled.json");
    writeFileSync(garbled, "{not json");
    expect(await loadState(garbled)).toBeUndefined();
    writeFileSync(garbled, JSON.stringify({ cursor: "c" }));
    expect(await loadState(garbled)).toBeUndefined();
  });

  it("is held by one live process at a time, and a killed process's lock is taken over", async () => {
    const file = join(dir, "locked.json");
    const first = await lockState(file, process.pid);
    expect(first).toHaveProperty("release");
    // Another process asking while this (live) one holds it.
    expect(await lockState(file, process.pid + 1)).toEqual({ heldBy: process.pid });
    await (first as { release: () => Promise<void> }).release();
    expect(existsSync(`${file}.lock`)).toBe(false);

    const gone = spawnSync(process.execPath, ["-e", ""]).pid;
    writeFileSync(`${file}.lock`, String(gone));
    expect(await lockState(file, process.pid)).toHaveProperty("release");
    expect(readFileSync(`${file}.lock`, "utf8")).toBe(String(process.pid));
  });
});
