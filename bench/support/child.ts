import { type ChildProcess, fork } from "node:child_process";

/** A forked bench process that answers `{id, cmd, ...}` requests over IPC with `{id, result | error}`. */
export interface BenchChild<Ready> {
  process: ChildProcess;
  ready: Ready;
  call<T>(cmd: string, args?: Record<string, unknown>): Promise<T>;
  /** Asks the child to stop and waits for it to exit (kills it after 10 s). */
  stop(): Promise<void>;
}

/**
 * Forks `file` with the same Node (process.execPath) and waits for its first IPC message, which
 * carries what the child wants its parent to know (its URLs). stdout is handed to `onStdout`.
 */
export async function forkChild<Ready>(
  file: string,
  options: { env?: Record<string, string>; onStdout?: (chunk: Buffer) => void; execArgv?: string[] } = {},
): Promise<BenchChild<Ready>> {
  const child = fork(file, [], {
    env: { ...process.env, ...options.env },
    execArgv: options.execArgv ?? [],
    stdio: ["ignore", "pipe", "pipe", "ipc"],
  });
  let stderr = "";
  child.stdout?.on("data", (chunk: Buffer) => options.onStdout?.(chunk));
  child.stderr?.on("data", (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8_000);
  });
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  const ready = await new Promise<Ready>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${file} did not start:\n${stderr}`)), 60_000);
    child.once("message", (message) => {
      clearTimeout(timer);
      resolve(message as Ready);
    });
    void exited.then(() => {
      clearTimeout(timer);
      reject(new Error(`${file} exited before it was ready:\n${stderr}`));
    });
  });
  let nextId = 0;
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  child.on("message", (message: { id?: number; result?: unknown; error?: string }) => {
    if (message.id === undefined) return;
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.error !== undefined) waiter?.reject(new Error(message.error));
    else waiter?.resolve(message.result);
  });
  void exited.then(() => {
    for (const waiter of pending.values()) waiter.reject(new Error(`${file} exited:\n${stderr}`));
    pending.clear();
  });
  return {
    process: child,
    ready,
    call<T>(cmd: string, args: Record<string, unknown> = {}): Promise<T> {
      const id = nextId++;
      return new Promise<T>((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        child.send({ id, cmd, ...args });
      });
    },
    async stop() {
      if (child.exitCode !== null) return;
      child.send({ cmd: "stop" });
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

type Handlers = Record<string, (args: Record<string, unknown>) => unknown>;

/** In a child: answers its parent's requests with `handlers`; "stop" runs `onStop` then exits. */
export function serveParent(handlers: Handlers, onStop: () => Promise<void> | void = () => undefined): void {
  process.on("message", async (message: { id?: number; cmd: string } & Record<string, unknown>) => {
    if (message.cmd === "stop") {
      await onStop();
      process.exit(0);
    }
    const handler = handlers[message.cmd];
    try {
      if (!handler) throw new Error(`unknown command ${message.cmd}`);
      process.send?.({ id: message.id, result: await handler(message) });
    } catch (error) {
      process.send?.({ id: message.id, error: String((error as Error)?.stack ?? error) });
    }
  });
  process.on("disconnect", () => process.exit(0));
}
