import type { DestinationAccess } from "../../functions/core/destinations/access.ts";
import type { SignedDelivery } from "../../functions/core/destinations/message.ts";
import type { DestinationDelivery, DestinationResult, DestinationSender, RoleCheck } from "../../functions/core/destinations/ports.ts";
import type { DestinationRegistrationDeps } from "../../functions/core/destinations/registration.ts";
import type { DestinationTarget } from "../../functions/core/destinations/targets.ts";

/** One put the recording sender saw. */
export interface RecordedPut {
  target: DestinationTarget;
  delivery: SignedDelivery;
  access: DestinationAccess;
}

/** A destination sender that records every put and answers what the test scripted (default: delivered); a thrown script is "our" failure. */
export class RecordingDestinationSender implements DestinationSender {
  readonly puts: RecordedPut[] = [];
  readonly script: (DestinationResult | Error)[] = [];

  async send(target: DestinationTarget, delivery: SignedDelivery, access: DestinationAccess): Promise<DestinationResult> {
    this.puts.push({ target, delivery, access });
    const next = this.script.shift() ?? { ok: true, durationMs: 1 };
    if (next instanceof Error) throw next;
    return next;
  }
}

/** A role check that accepts the roles in `trusting` with the ExternalId each expects, and records every call. */
export class ScriptedRoleCheck implements RoleCheck {
  readonly calls: { roleArn: string; externalId: string }[] = [];
  readonly trusting = new Map<string, string>();

  async check(roleArn: string, externalId: string): Promise<string | undefined> {
    this.calls.push({ roleArn, externalId });
    const expected = this.trusting.get(roleArn);
    return expected === externalId ? undefined : "AccessDenied: not authorized to perform sts:AssumeRole";
  }
}

/** Registration checks of a deployment in us-east-1, account 111111111111, with its queues named as the local stack names them. */
export function testDestinationRegistration(roles: RoleCheck = new ScriptedRoleCheck()): DestinationRegistrationDeps {
  return {
    rules: { partition: "aws", region: "us-east-1", emulated: false },
    own: {
      account: "111111111111",
      ownNames: ["hookrelay-deliveries", "hookrelay-slow-deliveries", "hookrelay-dead-letters", "hookrelay"],
      allowed: [],
    },
    deployment: "111111111111/hookrelay",
    roles,
    maxBodyBytes: 65_536,
  };
}

/** The delivery side on a recording sender. */
export function testDestinationDelivery(sender: DestinationSender = new RecordingDestinationSender()): DestinationDelivery {
  return { sender, deployment: "111111111111/hookrelay", eventSource: "hookrelay" };
}
