import { type DynamoDBDocumentClient, UpdateCommand, type UpdateCommandInput } from "@aws-sdk/lib-dynamodb";
import type { EndpointHealthStore } from "../../core/delivery/deps.ts";
import type { CircuitState, DisabledReason, Lane } from "../../core/kernel/model.ts";
import { conditionalWrite } from "./dynamo-paging.ts";
import { keys } from "./table-design.ts";

type Change = Omit<UpdateCommandInput, "TableName" | "Key">;

/**
 * Endpoint health on the endpoint item itself (`failingSince`, `circuit`, `disabledReason`,
 * `disabledAt`): the worker reads that item once per batch anyway, so the state costs no extra read,
 * and each write is one conditional UpdateItem made on a transition only. Conditions make the
 * transitions single-winner across concurrent workers (no transactions: dynalite lacks them).
 */
export class DynamoEndpointHealth implements EndpointHealthStore {
  private readonly client: DynamoDBDocumentClient;
  private readonly table: string;

  constructor(client: DynamoDBDocumentClient, table: string) {
    this.client = client;
    this.table = table;
  }

  markFailing(id: string, since: string): Promise<boolean> {
    return this.update("mark endpoint failing", id, {
      UpdateExpression: "SET failingSince = :since",
      ConditionExpression: "attribute_exists(pk) AND attribute_not_exists(failingSince)",
      ExpressionAttributeValues: { ":since": since },
    });
  }

  markHealthy(id: string): Promise<boolean> {
    return this.update("mark endpoint healthy", id, {
      UpdateExpression: "REMOVE failingSince",
      ConditionExpression: "attribute_exists(failingSince)",
    });
  }

  openCircuit(id: string, circuit: CircuitState, seenOpenUntil: string | undefined): Promise<boolean> {
    return this.update("open circuit", id, {
      UpdateExpression: "SET circuit = :circuit",
      ConditionExpression:
        seenOpenUntil === undefined
          ? "attribute_exists(pk) AND attribute_not_exists(circuit)"
          : "attribute_exists(pk) AND circuit.openUntil = :seen",
      ExpressionAttributeValues: { ":circuit": circuit, ...(seenOpenUntil !== undefined && { ":seen": seenOpenUntil }) },
    });
  }

  takeProbe(id: string, seenOpenUntil: string, now: string, probeUntil: string): Promise<boolean> {
    return this.update("take circuit probe", id, {
      UpdateExpression: "SET circuit.#state = :half, circuit.probeUntil = :until",
      ConditionExpression: "circuit.openUntil = :seen AND (circuit.#state = :open OR circuit.probeUntil < :now)",
      ExpressionAttributeNames: { "#state": "state" },
      ExpressionAttributeValues: { ":half": "half-open", ":open": "open", ":until": probeUntil, ":seen": seenOpenUntil, ":now": now },
    });
  }

  closeCircuit(id: string, seenOpenUntil: string): Promise<boolean> {
    return this.update("close circuit", id, {
      UpdateExpression: "REMOVE circuit",
      ConditionExpression: "circuit.openUntil = :seen",
      ExpressionAttributeValues: { ":seen": seenOpenUntil },
    });
  }

  disable(id: string, reason: DisabledReason, at: string, url: string): Promise<boolean> {
    return this.update("disable endpoint", id, {
      UpdateExpression: "SET enabled = :off, disabledReason = :reason, disabledAt = :at, updatedAt = :at",
      ConditionExpression: "enabled = :on AND #url = :url",
      ExpressionAttributeNames: { "#url": "url" },
      ExpressionAttributeValues: { ":off": false, ":on": true, ":reason": reason, ":at": at, ":url": url },
    });
  }

  moveLane(id: string, from: Lane, to: Lane, since: string, demotions?: number): Promise<boolean> {
    // An endpoint stored before lanes has no lane attribute: it is in the fast lane.
    const inFrom = from === "fast" ? "(attribute_not_exists(lane) OR lane = :from)" : "lane = :from";
    // The count of recent moves out rides on the move itself: it costs no write of its own.
    const record = demotions === undefined ? "" : ", laneDemotions = :demotions";
    return this.update("move endpoint lane", id, {
      UpdateExpression: `SET lane = :to, laneSince = :since, laneFastSuccesses = :zero${record}`,
      ConditionExpression: `attribute_exists(pk) AND ${inFrom}`,
      ExpressionAttributeValues: {
        ":from": from,
        ":to": to,
        ":since": since,
        ":zero": 0,
        ...(demotions !== undefined && { ":demotions": demotions }),
      },
    });
  }

  async countFastSuccess(id: string, seenSince: string): Promise<number> {
    let count = 0;
    const counted = await conditionalWrite("count fast success", async () => {
      const out = await this.client.send(
        new UpdateCommand({
          TableName: this.table,
          Key: keys.endpoint(id),
          UpdateExpression: "ADD laneFastSuccesses :one",
          ConditionExpression: "laneSince = :seen AND lane <> :fast",
          ExpressionAttributeValues: { ":one": 1, ":seen": seenSince, ":fast": "fast" },
          ReturnValues: "UPDATED_NEW",
        }),
      );
      count = Number(out.Attributes?.laneFastSuccesses ?? 0);
    });
    return counted ? count : 0;
  }

  resetFastSuccesses(id: string, seenSince: string): Promise<boolean> {
    return this.update("reset fast successes", id, {
      UpdateExpression: "SET laneFastSuccesses = :zero",
      ConditionExpression: "laneSince = :seen AND lane <> :fast",
      ExpressionAttributeValues: { ":zero": 0, ":seen": seenSince, ":fast": "fast" },
    });
  }

  /**
   * One conditional update; false when its condition did not hold (another worker made the
   * transition). Each bumps the endpoint's revision, so a PATCH that read it before writes nothing over it.
   */
  private async update(what: string, id: string, change: Change): Promise<boolean> {
    const bumped = {
      ...change,
      UpdateExpression: `${change.UpdateExpression} ADD revision :one`,
      ExpressionAttributeValues: { ...change.ExpressionAttributeValues, ":one": 1 },
    };
    return conditionalWrite(what, () => this.client.send(new UpdateCommand({ TableName: this.table, Key: keys.endpoint(id), ...bumped })));
  }
}
