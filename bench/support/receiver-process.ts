/**
 * A bare loopback webhook receiver in a process of its own, so that in the delivery-worker stage the
 * sender's CPU is measured alone. Reads the body, answers 204, tells its parent its URL over IPC.
 */
import http from "node:http";
import { closeServer, listenOnLoopback } from "../../local/loopback.ts";
import { serveParent } from "./child.ts";

let received = 0;
const server = http.createServer((req, res) => {
  req.on("data", () => undefined);
  req.on("end", () => {
    received++;
    res.writeHead(204).end();
  });
});
server.keepAliveTimeout = 60_000;
let connections = 0;
server.on("connection", () => {
  connections++;
});
const url = await listenOnLoopback(server, 0);
serveParent({ count: () => ({ received, connections }) }, () => closeServer(server));
process.send?.({ url });
