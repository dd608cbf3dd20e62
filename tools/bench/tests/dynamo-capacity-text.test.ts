/**
 * The counting proxy's two edits of DynamoDB JSON text: what it sends must parse to the request
 * plus `ReturnConsumedCapacity`, and what it reads must be the answer's `ConsumedCapacity` alone.
 */
import { describe, expect, it } from 'vitest';
import { consumedCapacityOf, withConsumedCapacity } from '../dynamo-capacity-text';

const sent = (text: string) => {
  const out = withConsumedCapacity(Buffer.from(text));
  return out === undefined ? undefined : JSON.parse(out.toString('utf8'));
};

describe('withConsumedCapacity', () => {
  it('adds the member to a request and keeps every other member', () => {
    const request = { TableName: 't', Item: { PK: { S: 'a}b' } } };
    expect(sent(JSON.stringify(request))).toEqual({ ...request, ReturnConsumedCapacity: 'INDEXES' });
  });

  it('overrides a capacity the request already asked for, and handles an empty object and whitespace', () => {
    expect(sent('{"TableName":"t","ReturnConsumedCapacity":"NONE"}').ReturnConsumedCapacity).toBe('INDEXES');
    expect(sent(' {  }\n')).toEqual({ ReturnConsumedCapacity: 'INDEXES' });
  });

  it('leaves what is not a JSON object alone', () => {
    expect(withConsumedCapacity(Buffer.from('Action=SendMessage'))).toBeUndefined();
    expect(withConsumedCapacity(Buffer.from('[1]'))).toBeUndefined();
  });
});

describe('consumedCapacityOf', () => {
  it('reads the member after items whose strings hold brackets, quotes and the member name', () => {
    const answer = {
      Items: [{ note: { S: 'a "ConsumedCapacity": {[' } }, { note: { S: 'back\\slash]}' } }],
      Count: 2,
      ConsumedCapacity: { CapacityUnits: 2.5, TableName: 't', Table: { CapacityUnits: 2.5 } },
    };
    expect(consumedCapacityOf(JSON.stringify(answer))).toEqual({ ConsumedCapacity: answer.ConsumedCapacity });
  });

  it('reads a list (BatchWriteItem) and answers undefined when there is none', () => {
    const list = [{ TableName: 't', CapacityUnits: 3 }];
    expect(consumedCapacityOf(JSON.stringify({ UnprocessedItems: {}, ConsumedCapacity: list }))).toEqual({
      ConsumedCapacity: list,
    });
    expect(consumedCapacityOf('{"Items":[]}')).toBeUndefined();
  });
});
