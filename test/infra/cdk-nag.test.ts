/**
 * cdk-nag's AwsSolutions pack over the stack `cdk deploy` ships: no finding left, every
 * acknowledgment states its reason, and every acknowledgment still hides a real finding.
 */
import { type App, Validations } from "aws-cdk-lib";
import { AwsSolutionsChecks } from "cdk-nag";
import { beforeAll, describe, expect, it } from "vitest";
import { WebhookDispatcherStack } from "../../lib/webhook-dispatcher-stack.ts";
import { acknowledgments, nagFindings, SYNTH_TIMEOUT_MS } from "./helpers.ts";
import { alarmedStack, appThatBundles } from "./synthesized.ts";

let app: App;

beforeAll(() => {
  // With an alarm e-mail, so the alarm topic and its subscription are checked too.
  ({ app } = alarmedStack());
}, SYNTH_TIMEOUT_MS);

describe("cdk-nag AwsSolutions", () => {
  it("reports no error and no warning", () => {
    expect(nagFindings(app)).toEqual([]);
  });

  it("states a reason of substance on every acknowledgment", () => {
    const acks = acknowledgments(app);
    expect(acks.length).toBeGreaterThan(0);
    for (const ack of acks) {
      expect(ack.id).toMatch(/^AwsSolutions-[A-Z]+\d+/);
      expect(ack.reason.length, `${ack.id} at ${ack.path}`).toBeGreaterThan(40);
    }
  });

  it("acknowledges only findings that exist (no stale suppression)", () => {
    const hidden = nagFindings(app, { ignoreAcknowledgments: true });
    for (const ack of acknowledgments(app)) {
      expect(hidden.some((finding) => finding.startsWith(`${ack.id} at ${ack.path}`))).toBe(true);
    }
    expect(hidden.length).toBe(acknowledgments(app).length);
  });

  it(
    "lets the app synthesize with the pack registered the cdk-nag 3 way, as lib/app.ts does",
    () => {
      // An app of its own: registering the pack changes the app, which the other files share.
      const own = appThatBundles(false);
      new WebhookDispatcherStack(own, "Hookrelay", { dispatcher: { alarmEmail: "ops@example.com" } });
      Validations.of(own).addPlugins(new AwsSolutionsChecks(own));
      const assembly = own.synth();
      expect(assembly.getStackByName("Hookrelay").template.Resources).toBeDefined();
    },
    SYNTH_TIMEOUT_MS,
  );
});
