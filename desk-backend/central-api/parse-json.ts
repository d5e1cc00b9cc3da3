// JSON from the network: a body that is not JSON is treated as "no value" and left to the schema to refuse.
export function parseJsonOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}
