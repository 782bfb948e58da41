import { randomUUID } from "node:crypto";
import { createServer, type Server } from "node:http";
import { fileURLToPath } from "node:url";
// In your own project: import { HookrelayClient } from "@hookrelay/client";
import { HookrelayClient, HookrelayError } from "../../clients/typescript/src/index.ts";

/*
 * A small order service that tells its customers about new orders through hookrelay:
 * `POST /orders {"customer": "acme", "total": 4200}` stores nothing (it is an example) but emits an
 * `order.created` event into the customer's tenant. The idempotency key is derived from the order, so
 * a retried request never sends the customer two webhooks for one order.
 *
 *   HOOKRELAY_API_URL=http://127.0.0.1:3000 HOOKRELAY_API_KEY=local-admin-key node examples/order-service/service.ts
 */

/** Starts the service on 127.0.0.1; resolves once it listens. */
export async function startOrderService(client: HookrelayClient, port = 0): Promise<{ server: Server; url: string }> {
  const server = createServer(async (req, res) => {
    const answer = (status: number, body: unknown) =>
      res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(body));
    if (req.method !== "POST" || req.url !== "/orders") return answer(404, { error: "not found" });
    let text = "";
    for await (const chunk of req) text += chunk;
    let order: { id?: string; customer?: string; total?: number };
    try {
      order = JSON.parse(text);
    } catch {
      return answer(400, { error: "send JSON" });
    }
    const id = order.id ?? `ord_${randomUUID()}`;
    try {
      const event = await client.emit(
        { type: "order.created", tenantId: order.customer, payload: { order: id, total: order.total } },
        { idempotencyKey: `order-${id}-created` },
      );
      answer(201, { id, event: event.id, notified: event.endpoints });
    } catch (error) {
      // The order stands; hookrelay's answer says whether repeating the request can help.
      const status = error instanceof HookrelayError && error.status === 503 ? 503 : 502;
      answer(status, { id, error: error instanceof HookrelayError ? error.code : String(error) });
    }
  });
  await new Promise<void>((resolve) => server.listen(port, "127.0.0.1", resolve));
  const address = server.address();
  return { server, url: `http://127.0.0.1:${typeof address === "object" && address ? address.port : port}` };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const baseUrl = process.env.HOOKRELAY_API_URL;
  const apiKey = process.env.HOOKRELAY_API_KEY;
  if (!baseUrl || !apiKey) throw new Error("Set HOOKRELAY_API_URL and HOOKRELAY_API_KEY");
  const { url } = await startOrderService(new HookrelayClient({ baseUrl, apiKey }), Number(process.env.PORT ?? 4000));
  console.log(`order service on ${url}: curl -X POST ${url}/orders -d '{"customer":"acme","total":4200}'`);
}
