/**
 * The benchmarks' 1 KB event payload: an invoice as a billing system would emit it, with ids, names,
 * amounts and dates that differ from one event to the next, so that compressed sizes are those of
 * real JSON (about half), not of a run of one repeated character.
 */
const NAMES = ["Acme Corporation", "Globex Ltd", "Initech GmbH", "Umbrella Health", "Stark Industries", "Wayne Enterprises"];
const CITIES = [
  ["Berlin", "DE", "10115"],
  ["Lyon", "FR", "69002"],
  ["Austin", "US", "78701"],
  ["Osaka", "JP", "530-0001"],
  ["Leeds", "GB", "LS1 4AP"],
] as const;
const PRODUCTS = [
  "Team plan seat",
  "Usage: API requests (per 1,000)",
  "Priority support",
  "Storage add-on (100 GB)",
  "Audit log retention",
];

/** A small deterministic generator, so every run sends the same payloads. */
function generator(seed: number) {
  let state = (seed * 2654435761) >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/** About 1 KB of JSON for event `seq`; `seq` is also a field, which the bench's receiver reads. */
export function invoicePayload(seq: number) {
  const random = generator(seq + 1);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const id = (prefix: string) =>
    `${prefix}_${Math.floor(random() * 36 ** 10)
      .toString(36)
      .padStart(10, "0")}${seq.toString(36)}`;
  const [city, country, postalCode] = pick(CITIES);
  const name = pick(NAMES);
  const created = 1_795_000_000 + seq * 37;
  const lines = Array.from({ length: 3 }, () => {
    const quantity = 1 + Math.floor(random() * 40);
    const unitAmount = 100 * (1 + Math.floor(random() * 90));
    return {
      id: id("il"),
      description: pick(PRODUCTS),
      quantity,
      unitAmount,
      amount: quantity * unitAmount,
      period: { start: created - 2_592_000, end: created },
    };
  });
  const subtotal = lines.reduce((sum, l) => sum + l.amount, 0);
  return {
    seq,
    object: "invoice",
    id: id("in"),
    number: `INV-${2026_00000 + seq}`,
    status: "paid",
    currency: pick(["eur", "usd", "gbp", "jpy"]),
    customer: {
      id: id("cus"),
      name,
      email: `billing+${seq}@${name.split(" ")[0]?.toLowerCase()}.example`,
      address: { line1: `${1 + Math.floor(random() * 200)} Market Street`, city, postalCode, country },
    },
    lines,
    subtotal,
    tax: Math.round(subtotal * 0.19),
    total: Math.round(subtotal * 1.19),
    paidAt: created + 3_600,
    created,
    memo: `Paid by card ending ${1000 + Math.floor(random() * 9000)} on ${new Date((created + 3_600) * 1000).toISOString().slice(0, 10)}. Thank you.`,
    metadata: { orderId: id("ord"), channel: pick(["web", "sales", "partner"]) },
  };
}
