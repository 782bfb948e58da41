import { h, svg } from "./dom.ts";
import type { EndpointStats } from "./types.ts";

const W = 720;
const H = 180;
const PAD = { left: 44, right: 64, top: 12, bottom: 28 };

/**
 * Success rate (bars, left axis, %) and p95 latency (line, right axis, ms) per hour, drawn as SVG
 * from numbers only; a table beside it carries the same figures for screen readers.
 */
export function statsChart(stats: EndpointStats): HTMLElement {
  const hours = stats.hours;
  const sent = hours.reduce((n, b) => n + b.sent, 0);
  if (sent === 0) return h("p", { class: "empty" }, "No requests sent to this endpoint in the last 24 hours.");
  const maxMs = Math.max(1, ...hours.map((b) => b.p95Ms ?? 0));
  const plotW = W - PAD.left - PAD.right;
  const plotH = H - PAD.top - PAD.bottom;
  const step = plotW / hours.length;
  const y = (fraction: number) => PAD.top + plotH * (1 - fraction);
  // Each hour with traffic is a full-height bar: green for the share that succeeded, red for the rest.
  const bars = hours.map((b, i) => {
    if (b.sent === 0) return null;
    const rate = b.succeeded / b.sent;
    const x = (PAD.left + i * step + 1).toFixed(1);
    const width = Math.max(1, step - 2).toFixed(1);
    return [
      rate < 1 ? svg("rect", { class: "bar bad", x, y: y(1).toFixed(1), width, height: (plotH * (1 - rate)).toFixed(1) }) : null,
      rate > 0 ? svg("rect", { class: "bar", x, y: y(rate).toFixed(1), width, height: (plotH * rate).toFixed(1) }) : null,
    ];
  });
  const points = hours
    .map((b, i) => (b.p95Ms === null ? null : `${(PAD.left + (i + 0.5) * step).toFixed(1)},${y(b.p95Ms / maxMs).toFixed(1)}`))
    .filter((p): p is string => p !== null);
  const label = (x: number, yy: number, text: string, anchor = "start") => svg("text", { x, y: yy, "text-anchor": anchor }, text);
  const total = hours.reduce((n, b) => n + b.succeeded, 0);
  const figure = svg(
    "svg",
    { viewBox: `0 0 ${W} ${H}`, class: "chart", role: "img", "aria-labelledby": "chart-title" },
    svg("title", { id: "chart-title" }, `Success rate and p95 latency per hour; ${total} of ${sent} requests succeeded`),
    svg("line", { class: "axis", x1: PAD.left, y1: y(0), x2: W - PAD.right, y2: y(0) }),
    svg("line", { class: "grid", x1: PAD.left, y1: y(1), x2: W - PAD.right, y2: y(1) }),
    label(PAD.left - 6, y(1) + 4, "100%", "end"),
    label(PAD.left - 6, y(0) + 4, "0%", "end"),
    label(W - PAD.right + 6, y(1) + 4, `${maxMs} ms`),
    label(PAD.left, H - 8, new Date(stats.from).toLocaleTimeString(undefined, { hour: "2-digit", minute: "2-digit" })),
    label(W - PAD.right, H - 8, "now", "end"),
    bars,
    points.length > 1 ? svg("polyline", { class: "latency", points: points.join(" ") }) : null,
    points.map((p) => {
      const [cx = "0", cy = "0"] = p.split(",");
      return svg("circle", { class: "latency-dot", cx, cy, r: 2.5 });
    }),
  );
  const figures = hours.filter((b) => b.sent > 0);
  return h(
    "figure",
    { class: "chart-box" },
    figure,
    h(
      "figcaption",
      {},
      h("span", { class: "key bar-key" }, "succeeded"),
      " ",
      h("span", { class: "key bad-key" }, "failed"),
      " ",
      h("span", { class: "key line-key" }, "p95 latency"),
      ` · ${total} of ${sent} requests succeeded in the last 24 h`,
      stats.truncated
        ? ` · complete since ${new Date(stats.completeSince).toLocaleString()} (busiest endpoints read the newest attempts only)`
        : "",
    ),
    h(
      "details",
      {},
      h("summary", {}, "Figures per hour"),
      h(
        "table",
        {},
        h("caption", { class: "sr-only" }, "Requests per hour"),
        h(
          "thead",
          {},
          h(
            "tr",
            {},
            ["Hour", "Sent", "Succeeded", "p50 ms", "p95 ms"].map((t) => h("th", { scope: "col" }, t)),
          ),
        ),
        h(
          "tbody",
          {},
          figures.map((b) =>
            h(
              "tr",
              {},
              [new Date(b.hour).toLocaleString(), b.sent, b.succeeded, b.p50Ms ?? "—", b.p95Ms ?? "—"].map((v) => h("td", {}, String(v))),
            ),
          ),
        ),
      ),
    ),
  );
}
