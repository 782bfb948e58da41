import WebSocket from "ws";

/** A frame the push server sent, as a test reads it. */
export interface PushFrame {
  type: string;
  cursor?: string;
  code?: number;
  id?: string;
  reason?: string;
  item?: { id: string; body: string; headers: Record<string, string>; messageId: string };
}

/** A raw WebSocket to the push server that keeps every frame it got and how it closed. */
export async function openSocket(url: string) {
  const socket = new WebSocket(url);
  const frames: PushFrame[] = [];
  const waiters: (() => void)[] = [];
  socket.on("message", (data) => {
    frames.push(JSON.parse(data.toString()) as PushFrame);
    for (const wake of waiters.splice(0)) wake();
  });
  const closed = new Promise<{ code: number; reason: string }>((resolve) =>
    socket.on("close", (code, reason) => {
      resolve({ code, reason: reason.toString() });
      for (const wake of waiters.splice(0)) wake();
    }),
  );
  await new Promise<void>((resolve, reject) => {
    socket.once("open", () => resolve());
    socket.once("error", reject);
  });
  return {
    socket,
    frames,
    closed,
    send: (frame: unknown) => socket.send(typeof frame === "string" ? frame : JSON.stringify(frame)),
    items: () => frames.filter((f) => f.type === "item" || f.type === "item_ref"),
    /** Resolves once `done()` holds (checked after each frame), or rejects after `ms`. */
    async until(done: () => boolean, ms = 30_000): Promise<void> {
      const deadline = Date.now() + ms;
      while (!done()) {
        if (Date.now() > deadline || socket.readyState === WebSocket.CLOSED) {
          if (done()) return;
          throw new Error(`gave up waiting; ${frames.length} frames, last ${JSON.stringify(frames.at(-1))}`);
        }
        await new Promise<void>((resolve) => {
          waiters.push(resolve);
          setTimeout(resolve, 200);
        });
      }
    },
  };
}
