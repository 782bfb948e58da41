import { ApiError } from "../../core/kernel/errors.ts";
import { DestinationBlockedError, type NodeHttpSender } from "./http-sender.ts";

/**
 * The registration-time check of an endpoint URL, the very check delivery makes (and then pins):
 * https unless plain http is allowed, and every address of the host publicly routable (or in an
 * opened range). Its 422 says why, never which address the dispatcher's resolver answered.
 */
export function destinationCheck(http: Pick<NodeHttpSender, "checkedAddresses">) {
  return async (url: string): Promise<void> => {
    const parsed = new URL(url);
    try {
      await http.checkedAddresses(parsed);
    } catch (error) {
      if (error instanceof DestinationBlockedError)
        throw new ApiError("destination_not_allowed", error.message, [{ path: "url", message: error.message }]);
      throw error;
    }
  };
}
