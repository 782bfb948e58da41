/**
 * SQS accepts in a message body only #x9, #xA, #xD, #x20 to #xD7FF, #xE000 to #xFFFD and #x10000 to
 * #x10FFFF, and refuses the whole message otherwise (InvalidMessageContents); fauxqs, the local
 * emulator, also refuses the astral characters. JSON.stringify leaves U+FFFE, U+FFFF and astral
 * characters (an emoji) as they are, so a payload holding one was refused for good, and its event
 * stayed half-sent for the sweeper to retry on every run.
 */
const REFUSED_BY_SQS = /[^\t\n\r\x20-\uD7FF\uE000-\uFFFD]/g;

/**
 * JSON text as the queue carries it: every UTF-16 code unit outside the set both SQS and its emulator
 * accept is written as a `\uXXXX` escape, which JSON.parse reads back as the same character, so the
 * delivered body is unchanged. Only for JSON text, where such characters can appear only inside
 * strings; text already escaped is returned as it is.
 */
export function queueText(json: string): string {
  return json.replace(REFUSED_BY_SQS, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** The bytes a string takes inside a queue message: quoted and escaped as a JSON string field, then as queueText writes it. */
export function queuedStringBytes(text: string): number {
  return Buffer.byteLength(queueText(JSON.stringify(text)));
}
