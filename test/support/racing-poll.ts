import { type PolledEndpoint, type PollLeaseDeps, withPollLeases } from "../../functions/core/feed/poll-leases.ts";

/** One poll of a racing burst, and what became of it once every poll is holding or refused. */
export interface RacingPoll {
  /** Settles when the poll ends: its hold answered, or its leases refused. */
  done: Promise<void>;
  /** `"held"` once the poll holds its leases, or the error that refused it. */
  outcome: Promise<unknown>;
}

/**
 * A poll that takes its leases and holds until `answered`, counting itself in `count` under its
 * endpoint and its tenant while it holds: the tests of racing bursts read the most that held at once.
 */
export function racingPoll(
  deps: PollLeaseDeps,
  endpoint: PolledEndpoint,
  untilMs: number,
  answered: Promise<void>,
  count: (key: string, delta: number) => void,
): RacingPoll {
  let entered: () => void = () => undefined;
  const holding = new Promise<"held">((resolve) => {
    entered = () => resolve("held");
  });
  const done = withPollLeases(deps, endpoint, untilMs, async () => {
    count(endpoint.id, 1);
    count(endpoint.tenantId, 1);
    entered();
    await answered;
    count(endpoint.id, -1);
    count(endpoint.tenantId, -1);
  });
  return {
    done,
    outcome: Promise.race([
      holding,
      done.then(
        () => "held" as const,
        (error: unknown) => error,
      ),
    ]),
  };
}
