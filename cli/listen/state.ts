import { createHash, randomUUID } from "node:crypto";
import { mkdir, open, readFile, rename, rm, writeFile } from "node:fs/promises";
import { join } from "node:path";

/** Where a listener got to in one endpoint's feed. */
export interface ListenState {
  apiUrl: string;
  endpointId: string;
  /** True when listen created the endpoint, so it is deleted on a clean stop and resumed after a crash. */
  temporary: boolean;
  /** The cursor of the page being forwarded; absent means from the oldest item kept. */
  cursor?: string;
  /** Items of that page already answered, so a restart mid-page does not send them again. */
  done: string[];
}

/**
 * The file of one listener. A listener on an existing endpoint is keyed by API and endpoint; a
 * temporary one by API, event types and target, so a run after a crash finds its endpoint again.
 */
export function stateFile(dir: string, apiUrl: string, target: { endpointId: string } | { events: string[]; forwardTo: string }): string {
  const key =
    "endpointId" in target
      ? `${apiUrl}\nendpoint ${target.endpointId}`
      : `${apiUrl}\ntemporary ${target.events.join(",")}\n${target.forwardTo}`;
  return join(dir, `${createHash("sha256").update(key).digest("hex").slice(0, 24)}.json`);
}

/** The saved state, or undefined when there is none (or it is unreadable: starting over is the only choice). */
export async function loadState(file: string): Promise<ListenState | undefined> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "ENOENT") return undefined;
    throw error;
  }
  try {
    const state = JSON.parse(text) as ListenState;
    return typeof state.endpointId === "string" && Array.isArray(state.done) ? state : undefined;
  } catch {
    return undefined;
  }
}

/** Writes the state atomically: a whole new file is synced, then renamed over the old one. */
export async function saveState(file: string, state: ListenState): Promise<void> {
  await mkdir(join(file, ".."), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${randomUUID()}.tmp`;
  const handle = await open(temporary, "w", 0o600);
  try {
    await handle.writeFile(`${JSON.stringify(state)}\n`);
    await handle.sync();
  } finally {
    await handle.close();
  }
  await rename(temporary, file);
}

/**
 * Claims the state file for this process, so a second listener with the same flags does not read
 * the same endpoint and delete it under the first. A lock left by a killed process is taken over.
 * Returns the pid holding it when that process is still alive.
 */
export async function lockState(file: string, pid = process.pid): Promise<{ release: () => Promise<void> } | { heldBy: number }> {
  const lock = `${file}.lock`;
  await mkdir(join(file, ".."), { recursive: true, mode: 0o700 });
  for (;;) {
    try {
      await writeFile(lock, String(pid), { flag: "wx", mode: 0o600 });
      return { release: () => rm(lock, { force: true }) };
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
    }
    const holder = Number(await readFile(lock, "utf8").catch(() => ""));
    if (Number.isInteger(holder) && holder > 0 && holder !== pid && isAlive(holder)) return { heldBy: holder };
    await rm(lock, { force: true });
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Forgets the state (after a temporary endpoint was deleted). */
export async function removeState(file: string): Promise<void> {
  await rm(file, { force: true });
}
