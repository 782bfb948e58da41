/** Plain-words helpers the messages share. */

/** "a", "a or b", "a, b or c"; "" for none. */
export function orList(words: readonly string[]): string {
  return words.length < 2 ? words.join("") : `${words.slice(0, -1).join(", ")} or ${words.at(-1)}`;
}
