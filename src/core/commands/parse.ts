/** A chat message read as a command: its first word and the rest. */
export interface ParsedCommand {
  word: string;
  args: string;
}

/**
 * Reads a command from a message. A message is a command when it starts with / or !, or when
 * the bot was addressed (a mention, or a direct chat), so "/help", "!hulp" and "@Samen help" work.
 */
export function parseCommand(text: string, addressed: boolean): ParsedCommand | null {
  let body = text.trim();
  if (body.startsWith('/') || body.startsWith('!')) body = body.slice(1).trimStart();
  else if (!addressed) return null;
  const match = /^(\S+)\s*([\s\S]*)$/.exec(body);
  if (!match) return null;
  return { word: match[1]!.toLowerCase(), args: match[2]!.trim() };
}

/** The closest of `candidates` to `word`, if it is near enough to be a likely typo. */
export function closest(word: string, candidates: Iterable<string>): string | null {
  let best: string | null = null;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const d = distance(word, candidate);
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  // One edit per three letters, at least one: "halp" → "help", but "xyz" suggests nothing.
  return bestDistance <= Math.max(1, Math.floor(word.length / 3)) ? best : null;
}

/** Levenshtein distance. */
function distance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + cost);
    }
    previous = current;
  }
  return previous[b.length]!;
}
