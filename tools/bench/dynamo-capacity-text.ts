/**
 * The two pieces of DynamoDB JSON the counting proxy touches on a request's path, without parsing
 * the rest: the capacity member added to a request, the capacity member read from an answer.
 */

/**
 * The request text with `ReturnConsumedCapacity: INDEXES` as its last member (a repeated member
 * takes the last value in JSON.parse, as dynalite reads it); undefined when it is not a JSON object.
 */
export function withConsumedCapacity(body: Buffer): Buffer | undefined {
  let end = body.length - 1;
  while (end >= 0 && (body[end] === 0x20 || body[end] === 0x0a || body[end] === 0x0d || body[end] === 0x09)) end--;
  let start = 0;
  while (start < end && (body[start] === 0x20 || body[start] === 0x0a || body[start] === 0x0d || body[start] === 0x09))
    start++;
  if (body[start] !== 0x7b || body[end] !== 0x7d) return undefined;
  const empty =
    body
      .subarray(start + 1, end)
      .toString('utf8')
      .trim() === '';
  const member = `${empty ? '' : ','}"ReturnConsumedCapacity":"INDEXES"}`;
  return Buffer.concat([body.subarray(0, end), Buffer.from(member)]);
}

const CONSUMED = '"ConsumedCapacity":';

/** The `ConsumedCapacity` member of an answer's text, parsed alone (undefined when absent). */
export function consumedCapacityOf(text: string): Record<string, unknown> | undefined {
  const at = text.lastIndexOf(CONSUMED);
  if (at < 0) return undefined;
  const from = at + CONSUMED.length;
  let depth = 0;
  let inString = false;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (inString) {
      if (c === '\\') i++;
      else if (c === '"') inString = false;
      continue;
    }
    if (c === '"') inString = true;
    else if (c === '{' || c === '[') depth++;
    else if (c === '}' || c === ']') {
      depth--;
      if (depth === 0) return { ConsumedCapacity: JSON.parse(text.slice(from, i + 1)) as unknown };
    }
  }
  return undefined;
}
