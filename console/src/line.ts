import { api } from "./api.ts";
import { badge, h, when } from "./dom.ts";
import { link, refresh } from "./router.ts";
import type { Answer, Body, OrderedLine } from "./types.ts";
import { action, facts, loading } from "./ui.ts";

/** The line's state in one badge: stuck (blocked for the alarm's hour or more) stands out from a fresh block. */
function lineBadge(line: OrderedLine): HTMLElement {
  if (line.state === "blocked") return line.stuck ? badge("line stuck", "bad") : badge("line blocked", "warn");
  if (line.state === "disabled") return badge("line draining (disabled)", "muted");
  return badge("line clear", "ok");
}

/**
 * An ordered endpoint's line: whether a failing head holds it, since when, by which event, and what
 * an operator can do about it (docs/ordering.md). An unordered endpoint has no line and no panel.
 */
export function linePanel(endpointId: string, tenant: string | undefined): HTMLElement {
  const path = `v1/endpoints/${encodeURIComponent(endpointId)}`;
  return h(
    "div",
    { class: "panel", "aria-label": "Ordered line" },
    h("h2", {}, "Ordered line"),
    loading(async () => {
      const line = await api<Answer<"/v1/endpoints/{id}/line", "get">>("GET", `${path}/line`);
      const head = line.head;
      if (line.state !== "blocked" || !head) {
        const said =
          line.state === "disabled"
            ? "Disabled: the line drains (from the head's next attempt, if it was waiting), each delivery recorded skipped. Enable it, then recover the window to resend them in order."
            : "The last delivery ended; nothing known holds the line.";
        return [h("p", {}, lineBadge(line)), h("p", { class: "muted" }, said)];
      }
      const status = h("div", { "aria-live": "polite" });
      const answer = [head.lastStatusCode, head.lastError].filter((x) => x !== undefined).join(" ");
      return [
        h("p", {}, lineBadge(line)),
        facts([
          ["Blocked by event", h("a", { href: link(["events", head.eventId], { tenant }) }, head.eventId)],
          ["Blocked since", when(head.blockedSince)],
          ["Attempts", `${head.attempts}${head.chain ? ` (chain ${head.chain})` : ""}`],
          ["Last answer", answer ? `${answer} at ${when(head.lastAttemptAt)}` : when(head.lastAttemptAt)],
          ["Next attempt", head.nextAttemptAt ? when(head.nextAttemptAt) : "none: it is given up at its next receive"],
          ["Waiting behind it", "every later delivery to this endpoint, unattempted (SQS does not count one line's messages)"],
        ]),
        h(
          "p",
          {},
          "To move on: fix the receiver, and the head goes at its next attempt; or let its retries run out, and it is given up (exhausted, announced) and the next delivery goes; or disable the endpoint, and at the head's next attempt the whole line drains instead, each delivery recorded skipped, to resend in order later by enabling it and recovering the window.",
        ),
        // The same PATCH as the page's Disable button, named for what it does to the line.
        action(
          "Disable and drain the line",
          async () => {
            if (!confirm("Disable the endpoint? At the head's next attempt, every delivery in its line is recorded skipped instead."))
              return undefined;
            await api("PATCH", path, { enabled: false } satisfies Body<"/v1/endpoints/{id}", "patch">);
            refresh();
            return undefined;
          },
          status,
        ),
        status,
      ];
    }),
  );
}
