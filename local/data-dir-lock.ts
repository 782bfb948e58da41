/**
 * One local stack per data directory. Two would open the same LevelDB and SQLite files: the second
 * then dies deep in dynalite ("Database is closed"), or worse, both write. A lock file in the
 * directory names the process that holds it, so a second start can say who; a lock whose process
 * is gone (kill -9, a crash) is stale and taken over.
 */
import { linkSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DataDirInUseError, LocalStackError } from "./startup-errors.ts";

/** The lock's file name inside the data directory. */
export const LOCK_FILE = "hookrelay.lock";

/** Lock files this process holds: a lock naming our own PID that is not among them is a dead namesake's. */
const held = new Set<string>();

/** A held data directory. */
export interface DataDirLock {
  readonly file: string;
  /** Removes the lock file (once; it stays if another process has taken it over since). */
  release(): void;
}

/**
 * Takes `dataDir` for this process, or throws DataDirInUseError naming the PID of the live process
 * that holds it. The lock is released by `release()`, or when the process exits.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, LOCK_FILE);
  // The PID is written to a file of our own, then linked into place: linking fails if the lock
  // exists, so no reader ever sees a lock without its PID, and of two starts only one wins.
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, `${process.pid}\n`);
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(mine, file);
        held.add(file);
        const release = () => {
          process.off("exit", release);
          if (!held.delete(file)) return;
          if (holderOf(file) === process.pid) rmSync(file, { force: true });
        };
        process.on("exit", release);
        return { file, release };
      } catch (error) {
        if ((error as { code?: unknown }).code !== "EEXIST") throw error;
      }
      const holder = holderOf(file);
      if (holder !== undefined && isAlive(holder) && !(holder === process.pid && !held.has(file))) {
        throw new DataDirInUseError(dataDir, holder, file);
      }
      // Stale: its process is gone. Removed, then the link above is tried again.
      rmSync(file, { force: true });
    }
    throw new LocalStackError(`could not take the lock ${file}: other processes keep taking it`);
  } finally {
    rmSync(mine, { force: true });
  }
}

/** The PID a lock file names, or undefined if it names none. */
function holderOf(file: string): number | undefined {
  try {
    const pid = Number(readFileSync(file, "utf8").trim());
    return Number.isInteger(pid) && pid > 0 ? pid : undefined;
  } catch {
    return undefined;
  }
}

/** Whether a process with this PID runs: signal 0 checks without sending; a zombie has ended. */
function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (error) {
    // EPERM: it exists, as another user's.
    return (error as { code?: unknown }).code === "EPERM";
  }
  try {
    // Linux: a process that ended and was not reaped yet is "Z" in the state field after "(comm)".
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat[stat.lastIndexOf(")") + 2] !== "Z";
  } catch {
    return true;
  }
}
