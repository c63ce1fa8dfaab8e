/**
 * Streams the elements of a top-level JSON array (or the values of a top-level object) with
 * @streamparser/json, so a file of 300 000 records never sits in memory as one parsed array: each
 * element is handed over as soon as its closing bracket arrives and then forgotten by the parser.
 * Pure.
 */
import JSONParser from '@streamparser/json/jsonparser.js';
import type { RecordError } from './types.ts';

export type JsonItem = { index: number; key: string | number; value: unknown } | { error: RecordError };

/**
 * A syntax error cannot be stepped over (the parser has lost its place), so it ends the stream with
 * one `invalid_json` error at the index of the element being read.
 */
export async function* jsonElements(text: AsyncIterable<string>, file?: string): AsyncGenerator<JsonItem> {
  const parser = new JSONParser({ paths: ['$.*'], keepStack: false });
  const ready: { key: string | number; value: unknown }[] = [];
  let failure: unknown;
  let sawRoot = false;
  parser.onValue = ({ value, key }) => {
    ready.push({ key: key as string | number, value });
  };
  parser.onError = (err) => {
    failure ??= err;
  };
  let index = 0;
  const err = (message: string): { error: RecordError } => {
    const e: RecordError = { index, field: '(json)', code: 'invalid_json', message };
    if (file !== undefined) e.file = file;
    return { error: e };
  };
  for await (const s of text) {
    if (!sawRoot && s.trim() !== '') sawRoot = true;
    try {
      parser.write(s);
    } catch (e) {
      failure ??= e;
    }
    for (const r of ready) yield { index: index++, key: r.key, value: r.value };
    ready.length = 0;
    if (failure !== undefined) {
      yield err(`not valid JSON: ${(failure as Error).message ?? String(failure)}`);
      return;
    }
  }
  if (!sawRoot) {
    yield err('the file is empty');
    return;
  }
  try {
    if (!parser.isEnded) parser.end();
  } catch (e) {
    failure ??= e;
  }
  for (const r of ready) yield { index: index++, key: r.key, value: r.value };
  if (failure !== undefined) yield err(`not valid JSON: ${(failure as Error).message ?? String(failure)}`);
}
