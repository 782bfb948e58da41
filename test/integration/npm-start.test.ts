/**
 * `npm start` as a user drives it from a shell: stopped by the PID the shell gives (`$!`, npm's),
 * started twice on one data directory, started with a bad setting or on a busy port.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { LOCK_FILE } from "../../local/data-dir-lock.ts";
import { heldPort } from "../support/free-port.ts";
import { eventually, type RunningStack, startProcess, startStack } from "../support/local-stack.ts";
import { listenerEnvironments } from "../support/port-owners.ts";

const dirs: string[] = [];
const stacks: RunningStack[] = [];
/** Stack processes started outside `npmStart`, killed at the end should a test fail before they stop. */
const strays: number[] = [];
const newDataDir = () => {
  const dir = mkdtempSync(join(tmpdir(), "hookrelay-npm-start-"));
  dirs.push(dir);
  return dir;
};
const npmStart = async (dataDir: string) => {
  const stack = await startStack({ dataDir, npm: true });
  stacks.push(stack);
  return stack;
};

afterAll(async () => {
  await Promise.all(stacks.map((s) => s.stop("SIGKILL")));
  for (const pid of [...stacks.map((s) => s.pid), ...strays]) if (isAlive(pid)) process.kill(pid, "SIGKILL");
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** Whether something accepts a TCP connection at the URL's host and port. */
function accepts(url: string): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) });
    socket.once("connect", () => {
      socket.destroy();
      resolve(true);
    });
    socket.once("error", () => resolve(false));
  });
}

/**
 * Waits until the stack's node process is gone and none of its ports answers, or, when one does,
 * that no process of the stack holds it: a freed port may be taken at once by a server of another
 * test file, which is told apart by its environment (the stack's processes have its DATA_DIR).
 */
async function expectGone(stack: RunningStack, dataDir: string): Promise<void> {
  // A graceful stop finishes what is in flight and closes the emulators: slow on a loaded machine.
  await eventually(async () => !isAlive(stack.pid), 45_000);
  for (const url of stack.listening) {
    if (!(await accepts(url))) continue;
    const owners = listenerEnvironments(Number(new URL(url).port));
    // A port that answers with no listener found cannot be told apart (no /proc, or hidden): a failure, not a pass.
    expect(owners.length, `${url} still answers and its listener cannot be found`).toBeGreaterThan(0);
    expect(
      owners.filter((env) => env.includes(`DATA_DIR=${dataDir}`)),
      `${url} still answers, held by a process of the stack`,
    ).toEqual([]);
  }
}

/** The data directory is free again: a second stack starts on it, serves, and stops. */
async function expectFreeAgain(dataDir: string): Promise<void> {
  const second = await npmStart(dataDir);
  expect((await second.api("GET", "/v1/health")).status).toBe(200);
  await second.stop("SIGTERM");
  await expectGone(second, dataDir);
}

/** Runs `npm start` expecting it to fail, and returns its exit code and the lines it wrote to stderr. */
async function failedStart(env: Record<string, string>, args: string[] = ["--in-memory", "--quiet"]) {
  const started = startProcess({ args, env, npm: true });
  // Its last words may arrive after it exited: read to the end of its streams.
  const code = await started.closed;
  return {
    code,
    lines: started
      .stderr()
      .split("\n")
      .filter((line) => line.trim() !== ""),
  };
}

describe("stopping npm start by npm's PID", () => {
  it("SIGTERM to npm stops the whole tree: npm exits 0, no port answers, and a restart on the data directory finds its data", async () => {
    const dataDir = newDataDir();
    const first = await npmStart(dataDir);
    // npm started the stack: the PID the shell gave is npm's, not the stack's.
    expect(first.child.pid).not.toBe(first.pid);
    const created = await first.api("POST", "/v1/endpoints", { url: "http://127.0.0.1:9/hook", eventTypes: ["a.b"] });
    expect(created.status).toBe(201);

    expect(await first.stop("SIGTERM")).toBe(0);
    await expectGone(first, dataDir);

    const second = await npmStart(dataDir);
    expect((await second.api("GET", `/v1/endpoints/${created.json.id}`)).status).toBe(200);
    expect(await second.stop("SIGTERM")).toBe(0);
    await expectGone(second, dataDir);
  });

  it("kill -9 of npm, which forwards nothing, stops the stack too, and the data directory is free again", async () => {
    const dataDir = newDataDir();
    const first = await npmStart(dataDir);
    await first.stop("SIGKILL");
    await expectGone(first, dataDir);
    await expectFreeAgain(dataDir);
  });

  it("kill -9 of npm while the stack is still starting stops the stack once it is up", async () => {
    const dataDir = newDataDir();
    const started = startProcess({ args: ["--quiet"], env: { DATA_DIR: dataDir, PORT: "0", WS_PORT: "0" }, npm: true });
    // The stack takes its data directory's lock early in its start, writing its own PID there.
    const lock = join(dataDir, LOCK_FILE);
    const pid = Number(await eventually(async () => existsSync(lock) && readFileSync(lock, "utf8").trim(), 45_000));
    strays.push(pid);
    expect(pid).not.toBe(started.child.pid);
    started.child.kill("SIGKILL");
    await eventually(async () => !isAlive(pid), 45_000);
    expect(started.output()).toContain(`npm (PID ${started.child.pid}) exited`);
    await expectFreeAgain(dataDir);
  });
});

describe("one stack per data directory", () => {
  it("refuses a second start on the same data directory with one line naming the PID that holds it, and exits non-zero", async () => {
    const dataDir = newDataDir();
    const first = await npmStart(dataDir);
    const second = await failedStart({ DATA_DIR: dataDir, PORT: "0" }, ["--quiet"]);
    expect(second.code).not.toBe(0);
    const ours = second.lines.filter((line) => line.startsWith("npm start: "));
    expect(ours).toHaveLength(1);
    expect(ours[0]).toContain(`PID ${first.pid}`);
    expect(ours[0]).toContain(dataDir);
    // The first stack is untouched.
    expect((await first.api("GET", "/v1/health")).status).toBe(200);
    expect(await first.stop("SIGTERM")).toBe(0);
  });

  it("takes over the lock of a stack that was killed with SIGKILL (a stale lock)", async () => {
    const dataDir = newDataDir();
    const first = await npmStart(dataDir);
    process.kill(first.pid, "SIGKILL");
    await first.stop("SIGKILL");
    await expectGone(first, dataDir);
    await expectFreeAgain(dataDir);
  });
});

describe("a setting npm start cannot use", () => {
  // One value of each kind of mistake (test/unit/local-settings.test.ts generates many more).
  it.each(["abc", "3000.5", "65536", "-1", "80 80"])("PORT=%s: one line naming PORT, no stack trace, exit code 1", async (value) => {
    const { code, lines } = await failedStart({ PORT: value });
    expect(code).toBe(1);
    expect(lines.filter((line) => line.startsWith("npm start: "))).toEqual([expect.stringContaining("PORT")]);
    expect(lines.join("\n")).not.toMatch(/^\s+at /m);
  });

  /** Runs `body` with a port held by a server of this test, then frees it. */
  async function withBusyPort(body: (port: number) => Promise<void>): Promise<void> {
    const { port, release } = await heldPort();
    try {
      await body(port);
    } finally {
      await release();
    }
  }

  /** The start failed with exactly one line of ours matching `expected`, and no stack trace. */
  function expectOneLine(failed: { code: number | null; lines: string[] }, expected: RegExp): void {
    const output = failed.lines.join("\n");
    expect(failed.code, output).toBe(1);
    expect(
      failed.lines.filter((line) => line.startsWith("npm start: ")),
      output,
    ).toEqual([expect.stringMatching(expected)]);
    expect(output).not.toMatch(/^\s+at /m);
  }

  // WS_PORT=0: the push server takes any free port, so only PORT can be the busy one.
  it("a busy port: one line naming the port and PORT, no stack trace, exit code 1", async () => {
    await withBusyPort(async (port) => {
      expectOneLine(await failedStart({ PORT: String(port), WS_PORT: "0" }), new RegExp(`port ${port} .*PORT`));
    });
  });

  it("a busy WS_PORT: one line naming the port and WS_PORT, no stack trace, exit code 1", async () => {
    await withBusyPort(async (port) => {
      expectOneLine(await failedStart({ PORT: "0", WS_PORT: String(port) }), new RegExp(`port ${port} .*WS_PORT`));
    });
  });

  // Unset, WS_PORT is PORT + 1, and the push server starts before the API: its port is the one named.
  it("WS_PORT unset and PORT + 1 busy: one line naming PORT + 1 and WS_PORT", async () => {
    await withBusyPort(async (port) => {
      expectOneLine(await failedStart({ PORT: String(port - 1) }), new RegExp(`port ${port} .*WS_PORT`));
    });
  });

  it.each([
    ["LOCAL_CONCURRENCY", "0"],
    ["LOCAL_SWEEP_INTERVAL_MS", "soon"],
    ["LOCAL_OUTAGE_TARGETS", "dynamodb,s3"],
    ["RETRY_SCHEDULE", "5,soon"],
  ])("%s=%s: one line naming it, exit code 1", async (variable, value) => {
    const { code, lines } = await failedStart({ [variable]: value });
    expect(code).toBe(1);
    expect(lines.filter((line) => line.startsWith("npm start: "))).toEqual([expect.stringContaining(variable)]);
  });
});
