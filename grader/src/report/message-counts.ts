// Messages grouped for the report: the same message with other numbers in it ("entry (0, 1) is 0.93" and
// "entry (2, 0) is 0.41") is one kind of mistake, shown once with its count and one example.

export interface MessageCount {
  /** The message of the first student who got it. */
  example: string;
  count: number;
}

const NUMBER = /[-+]?(?:\d+\.?\d*|\.\d+)(?:e[-+]?\d+)?/gi;

export const messageKind = (message: string): string => message.replace(NUMBER, "#");

/**
 * The most common kinds among `messages` (each inner list is one student's; a student counts once per kind),
 * most frequent first, then in order of first appearance.
 */
export function commonMessages(messages: ReadonlyArray<readonly string[]>, limit = 5): MessageCount[] {
  const kinds = new Map<string, MessageCount>();
  for (const list of messages) {
    const seen = new Set<string>();
    for (const message of list) {
      const kind = messageKind(message);
      if (seen.has(kind)) continue;
      seen.add(kind);
      const entry = kinds.get(kind);
      if (entry) entry.count++;
      else kinds.set(kind, { example: message, count: 1 });
    }
  }
  return [...kinds.values()].sort((a, b) => b.count - a.count).slice(0, limit);
}
