import { spawn } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { afterAll, describe, expect, it } from "vitest";
import { LOCK_FILE, lockDataDir } from "../../local/data-dir-lock.ts";
import { DataDirInUseError } from "../../local/startup-errors.ts";

const root = mkdtempSync(join(tmpdir(), "hookrelay-lock-"));
let n = 0;
const newDir = () => join(root, `data-${n++}`);
// A process that lives as long as this one: the one that started it.
const live = process.ppid;

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

/** The PID of a process that has ended (and was reaped). */
async function deadProcess(): Promise<number> {
  const child = spawn(process.execPath, ["-e", ""], { stdio: "ignore" });
  await new Promise((resolve) => child.once("exit", resolve));
  return child.pid as number;
}

const lockText = (dir: string) => readFileSync(join(dir, LOCK_FILE), "utf8").trim();

describe("lockDataDir", () => {
  it("writes this process's PID into the directory's lock, leaves no other file, and removes the lock on release", () => {
    const dir = newDir();
    const lock = lockDataDir(dir);
    expect(lockText(dir)).toBe(String(process.pid));
    expect(readdirSync(dir)).toEqual([LOCK_FILE]);
    lock.release();
    expect(existsSync(join(dir, LOCK_FILE))).toBe(false);
    lockDataDir(dir).release();
  });

  it("refuses a directory a live process holds, naming its PID, the directory and the lock file on one line", () => {
    const dir = newDir();
    const holder = live;
    lockDataDir(dir).release();
    writeFileSync(join(dir, LOCK_FILE), `${holder}\n`);
    const error = (() => {
      try {
        lockDataDir(dir);
      } catch (e) {
        return e as DataDirInUseError;
      }
    })();
    expect(error).toBeInstanceOf(DataDirInUseError);
    expect(error?.holderPid).toBe(holder);
    expect(error?.message).toContain(`PID ${holder}`);
    expect(error?.message).toContain(dir);
    expect(error?.message).toContain(join(dir, LOCK_FILE));
    expect(error?.message).not.toContain("\n");
    // The holder's lock is left as it was.
    expect(lockText(dir)).toBe(String(holder));
  });

  it("refuses a second lock in the same process while the first is held", () => {
    const dir = newDir();
    const lock = lockDataDir(dir);
    expect(() => lockDataDir(dir)).toThrow(DataDirInUseError);
    lock.release();
  });

  it("takes over a stale lock: one naming a process that has ended", async () => {
    const dir = newDir();
    lockDataDir(dir).release();
    writeFileSync(join(dir, LOCK_FILE), `${await deadProcess()}\n`);
    const lock = lockDataDir(dir);
    expect(lockText(dir)).toBe(String(process.pid));
    lock.release();
  });

  it("takes over a lock naming this process's PID that this process does not hold (a namesake before a restart)", () => {
    const dir = newDir();
    lockDataDir(dir).release();
    writeFileSync(join(dir, LOCK_FILE), `${process.pid}\n`);
    lockDataDir(dir).release();
  });

  it("takes over a lock that names no PID at all, whatever it holds", () => {
    fc.assert(
      fc.property(
        fc.string().filter((text) => !/^\s*[1-9]\d*\s*$/.test(text)),
        (text) => {
          const dir = newDir();
          lockDataDir(dir).release();
          writeFileSync(join(dir, LOCK_FILE), text);
          const lock = lockDataDir(dir);
          expect(lockText(dir)).toBe(String(process.pid));
          lock.release();
        },
      ),
      { numRuns: 30 },
    );
  });

  it("leaves a lock another process has taken over since when released", () => {
    const dir = newDir();
    const lock = lockDataDir(dir);
    const other = live;
    writeFileSync(join(dir, LOCK_FILE), `${other}\n`);
    lock.release();
    expect(lockText(dir)).toBe(String(other));
  });
});
