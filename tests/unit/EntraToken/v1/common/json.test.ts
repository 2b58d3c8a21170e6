import assert from 'node:assert/strict';
import { field, numberField, parseJson, stringArray, stringField } from '../../../../../tasks/EntraToken/v1/src/common/json';

describe('json: reading untyped bodies', () => {
  it('parses JSON and returns undefined for anything else', () => {
    assert.deepEqual(parseJson('{"a":1}'), { a: 1 });
    assert.equal(parseJson('<html>'), undefined);
    assert.equal(parseJson(undefined), undefined);
  });

  it('picks typed fields and nothing of another type', () => {
    const body = parseJson('{"s":"x","e":"","n":3,"o":{"s":"y"},"a":["p",1,"q"]}');

    assert.equal(stringField(body, 's'), 'x');
    assert.equal(stringField(body, 'e'), undefined);
    assert.equal(stringField(body, 'n'), undefined);
    assert.equal(numberField(body, 'n'), 3);
    assert.equal(stringField(field(body, 'o'), 's'), 'y');
    assert.deepEqual(stringArray(field(body, 'a')), ['p', 'q']);
    assert.equal(stringArray(field(body, 's')), undefined);
    assert.equal(field('text', 'length'), undefined);
  });
});
