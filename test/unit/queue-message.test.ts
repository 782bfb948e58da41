import fc from "fast-check";
import { describe, expect, it } from "vitest";
import type { DeliveryMessage } from "../../functions/core/kernel/model.ts";
import {
  deliveryMessage,
  forwardedBody,
  noticeDeliveries,
  parseMessage,
  parseTask,
  parseUnsendableNotice,
  recoveryTask,
  serializeMessage,
  unsendableNotice,
  waitingCopy,
} from "../../functions/core/kernel/queue-message.ts";
import { queueText } from "../../functions/core/kernel/queue-text.ts";

// Every queue message is built by kernel/queue-message.ts; whatever it builds, the worker reads back as built.

const id = fc.stringMatching(/^[A-Za-z0-9_.-]{1,40}$/);
const iso = fc
  .date({ min: new Date("2020-01-01T00:00:00Z"), max: new Date("2040-01-01T00:00:00Z"), noInvalidDate: true })
  .map((d) => d.toISOString());
const event = fc.record({
  id,
  messageId: fc.option(fc.stringMatching(/^msg_[A-Za-z0-9]{1,64}$/), { nil: undefined }),
  tenantId: id,
  type: id,
  createdAt: iso,
  body: fc.string({ unit: "binary", maxLength: 200 }),
});
const chain = fc.option(fc.record({ chain: fc.stringMatching(/^[A-Za-z0-9_-]{1,64}$/), recovers: fc.boolean() }), { nil: undefined });
const message = fc
  .tuple(event, id, chain, fc.option(fc.boolean(), { nil: undefined }))
  .map(([e, endpointId, c, resumed]) => ({ ...deliveryMessage(e, endpointId, c), ...(resumed !== undefined && { resumed }) }));

/** Reads a body as the worker does, after the queue adapter escaped it. */
const read = (body: string) => parseMessage(queueText(body));

describe("queue messages", () => {
  it("a delivery message carries the event's identifiers, body and chain, and reads back as built", () => {
    fc.assert(
      fc.property(event, id, chain, (e, endpointId, c) => {
        const built = deliveryMessage(e, endpointId, c);
        expect(built).toEqual({
          v: 1,
          eventId: e.id,
          ...(e.messageId !== undefined && { messageId: e.messageId }),
          endpointId,
          tenantId: e.tenantId,
          type: e.type,
          createdAt: e.createdAt,
          body: e.body,
          ...(c !== undefined && { chain: c.chain, recovers: c.recovers }),
        });
        expect(read(serializeMessage(built))).toEqual(built);
      }),
    );
  });

  it("a waiting copy is the message dated no earlier than now, resumed when asked or already", () => {
    fc.assert(
      fc.property(
        message,
        fc.integer({ min: 0, max: 4e12 }),
        fc.integer({ min: 0, max: 4e12 }),
        fc.boolean(),
        (m, untilMs, nowMs, resumed) => {
          const copy = read(serializeMessage(waitingCopy(m, untilMs, nowMs, resumed)));
          const { notBefore, resumed: copyResumed, ...rest } = copy as DeliveryMessage;
          const { notBefore: _old, resumed: wasResumed, ...original } = m;
          expect(rest).toEqual(original);
          expect(Date.parse(notBefore as string)).toBe(Math.max(untilMs, nowMs));
          expect(copyResumed === true).toBe(resumed || wasResumed === true);
        },
      ),
    );
  });

  it("the fast lane forwards the received body as it came, unless the delivery has history it must say it resumes", () => {
    fc.assert(
      fc.property(message, fc.boolean(), (m, hasHistory) => {
        const received = serializeMessage(m);
        const forwarded = forwardedBody(received, m, hasHistory);
        if (hasHistory && m.resumed !== true) expect(read(forwarded)).toEqual({ ...m, resumed: true });
        else expect(forwarded).toBe(received);
      }),
    );
  });

  it("a recovery step reads back as a task, never as a delivery", () => {
    fc.assert(
      fc.property(id, id, fc.nat(), fc.option(fc.string({ maxLength: 80 }), { nil: undefined }), (endpointId, recoveryId, step, cursor) => {
        const body = serializeMessage(recoveryTask(endpointId, recoveryId, step, cursor));
        expect(parseTask(body)).toEqual({ v: 1, task: "recover", endpointId, recoveryId, step, ...(cursor !== undefined && { cursor }) });
        expect(parseMessage(body)).toBeUndefined();
      }),
    );
  });

  it("an unsendable notice names one delivery per endpoint, each without the body the queue refused", () => {
    fc.assert(
      fc.property(event, fc.uniqueArray(id, { minLength: 1, maxLength: 5 }), fc.string(), (e, endpointIds, reason) => {
        const record = { ...e, requestHash: "h", endpointIds, expiresAt: 0 };
        const notice = parseUnsendableNotice(unsendableNotice(record, endpointIds, reason));
        expect(notice).toBeDefined();
        const deliveries = noticeDeliveries(notice as NonNullable<typeof notice>);
        expect(deliveries.map((d) => d.endpointId)).toEqual(endpointIds);
        for (const d of deliveries) {
          expect(d).toEqual({
            v: 1,
            eventId: e.id,
            endpointId: d.endpointId,
            tenantId: e.tenantId,
            type: e.type,
            createdAt: e.createdAt,
            body: "",
          });
          expect(read(serializeMessage(d))).toEqual(d);
        }
      }),
    );
  });
});
