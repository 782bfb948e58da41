import type { Config } from "../../core/config/config.ts";
import { DestinationPolicy } from "../../core/ssrf/destination-policy.ts";
import { processListeners } from "../lambda/process-listeners.ts";
import { NodeHttpSender, type Resolver } from "./http-sender.ts";

/** The settings the outbound client is made from. */
export type OutboundSettings = Pick<Config, "deliveryTimeoutMs" | "destinationAllowCidrs" | "allowHttpDestinations">;

/**
 * The dispatcher's outbound HTTP client as the settings make it: the delivery timeout, plain http
 * only where allowed, every address publicly routable or in an opened range, and never one of this
 * process's own sockets. The delivery worker makes it at import, since its first message needs it;
 * the other functions only check a URL now and then (the API, at an endpoint's registration) and
 * load it, with the address parser it brings, on that first check (functions/runtime.ts).
 */
export function createOutboundSender(settings: OutboundSettings, resolver?: Resolver): NodeHttpSender {
  return new NodeHttpSender({
    timeoutMs: settings.deliveryTimeoutMs,
    policy: new DestinationPolicy(settings.destinationAllowCidrs, { allowHttp: settings.allowHttpDestinations }),
    resolver,
    ownSockets: processListeners,
  });
}
