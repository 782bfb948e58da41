import type { Resolver } from "./http-sender.ts";
import type { OutboundSettings } from "./outbound-sender.ts";

/**
 * The API's check of an endpoint URL (destination-check.ts), with the outbound client and its
 * address parser (ipaddr.js) loaded on the first check: most API requests register no URL, and the
 * cold start need not parse them (docs/performance.md, "Cold start"). A failed load is retried by
 * the next call. `resolver` is injectable for tests.
 */
export function urlCheckOnFirstCall(settings: OutboundSettings, resolver?: Resolver): (url: string) => Promise<void> {
  let loaded: Promise<(url: string) => Promise<void>> | undefined;
  return async (url) => {
    loaded ??= Promise.all([import("./destination-check.ts"), import("./outbound-sender.ts")])
      .then(([check, outbound]) => check.destinationCheck(outbound.createOutboundSender(settings, resolver)))
      .catch((error: unknown) => {
        loaded = undefined;
        throw error;
      });
    return (await loaded)(url);
  };
}
