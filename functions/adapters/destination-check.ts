import { ApiError } from "../core/errors.ts";
import { DestinationBlockedError, type NodeHttpSender } from "./http-sender.ts";

/**
 * The registration-time check of an endpoint URL: https unless plain http is allowed, and every
 * address of the host publicly routable (or in an opened range). Delivery checks again, and pins.
 */
export function destinationCheck(http: Pick<NodeHttpSender, "checkedAddresses">, allowHttp: boolean) {
  return async (url: string): Promise<void> => {
    const parsed = new URL(url);
    if (parsed.protocol === "http:" && !allowHttp) {
      throw new ApiError("destination_not_allowed", "Endpoint URLs must use https (set ALLOW_HTTP_DESTINATIONS to allow http)");
    }
    try {
      await http.checkedAddresses(parsed);
    } catch (error) {
      if (error instanceof DestinationBlockedError) throw new ApiError("destination_not_allowed", error.message);
      throw error;
    }
  };
}
