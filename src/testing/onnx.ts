// A tiny sentence-embedding model in the layout transformers.js reads from a folder (config.json,
// tokenizer.json, onnx/model.onnx), built by hand so that tests need no download: a word-level
// tokenizer over a dozen words and an ONNX graph of one Gather, each word's row of an embedding
// table, which the pipeline mean-pools. Words about caches share one direction, words about images
// another, so similarity by meaning is testable. The ONNX protobuf is written field by field.
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TRANSFORMERS_INSTALL } from '../search/embedding/onnx.ts';
import { projectPath } from '../util/project.ts';

export const TINY_DIMENSIONS = 4;

/**
 * Why the ONNX tests cannot run here: transformers.js is not part of the default install (428 MB of
 * ONNX Runtime), so a developer's plain `npm install` lacks it. .ci/run installs it; on CI its
 * absence is an error, never a silent skip.
 */
export function onnxRuntimeMissing(): string | false {
  if (existsSync(projectPath('node_modules/@huggingface/transformers/package.json'))) return false;
  if (process.env.CI) throw new Error('CI run without @huggingface/transformers: .ci/run must install it');
  return `needs ${TRANSFORMERS_INSTALL}`;
}

const WORDS: Record<string, number[]> = {
  '[UNK]': [0, 0, 0, 0.1],
  '[PAD]': [0, 0, 0, 0],
  kv: [1, 0, 0, 0.1],
  cache: [0.9, 0.1, 0, 0.1],
  eviction: [0.8, 0.2, 0, 0.1],
  compression: [0.6, 0.4, 0, 0.1],
  quantization: [0.5, 0.5, 0, 0.1],
  memory: [0.7, 0.3, 0, 0.1],
  image: [0, 0, 1, 0.1],
  segmentation: [0, 0.1, 0.9, 0.1],
  pixels: [0, 0.2, 0.8, 0.1],
  vision: [0, 0, 0.9, 0.1],
};

// Protocol buffers: varints, and fields as (number << 3 | wire type).
function varint(n: number | bigint): number[] {
  let v = BigInt(n);
  const out: number[] = [];
  do {
    const byte = Number(v & 0x7fn);
    v >>= 7n;
    out.push(v > 0n ? byte | 0x80 : byte);
  } while (v > 0n);
  return out;
}
const int = (field: number, n: number | bigint) => Buffer.from([...varint((field << 3) | 0), ...varint(n)]);
const bytes = (field: number, body: Buffer | string) => {
  const b = typeof body === 'string' ? Buffer.from(body) : body;
  return Buffer.concat([Buffer.from([...varint((field << 3) | 2), ...varint(b.length)]), b]);
};
const message = (...parts: Buffer[]) => Buffer.concat(parts);

const INT64 = 7;
const FLOAT = 1;
function tensorType(elementType: number, dims: (string | number)[]): Buffer {
  const shape = message(...dims.map((d) => bytes(1, typeof d === 'string' ? bytes(2, d) : int(1, d))));
  return bytes(1, message(int(1, elementType), bytes(2, shape))); // TypeProto.tensor_type
}
const valueInfo = (name: string, elementType: number, dims: (string | number)[]) =>
  message(bytes(1, name), bytes(2, tensorType(elementType, dims)));

function onnxModel(): Buffer {
  const rows = Object.values(WORDS);
  const table = Buffer.from(Float32Array.from(rows.flat()).buffer);
  const initializer = message(int(1, rows.length), int(1, TINY_DIMENSIONS), int(2, FLOAT), bytes(8, 'embeddings'), bytes(9, table));
  const axis = message(bytes(1, 'axis'), int(3, 0), int(20, 2)); // AttributeProto INT
  const gather = message(
    bytes(1, 'embeddings'),
    bytes(1, 'input_ids'),
    bytes(2, 'last_hidden_state'),
    bytes(3, 'lookup'),
    bytes(4, 'Gather'),
    bytes(5, axis),
  );
  const graph = message(
    bytes(1, gather),
    bytes(2, 'tiny'),
    bytes(5, initializer),
    bytes(11, valueInfo('input_ids', INT64, ['batch', 'sequence'])),
    bytes(11, valueInfo('attention_mask', INT64, ['batch', 'sequence'])),
    bytes(12, valueInfo('last_hidden_state', FLOAT, ['batch', 'sequence', TINY_DIMENSIONS])),
  );
  return message(int(1, 8), bytes(2, 'paperboy-tests'), bytes(7, graph), bytes(8, message(bytes(1, ''), int(2, 13))));
}

/**
 * Writes the model to a new folder and returns its path, with the sentence-transformers settings
 * given (without them the folder has none, as many exports): `pooling`, the pooling modes of
 * 1_Pooling/config.json, and `maxTokens`, sentence_bert_config.json's max_seq_length.
 */
export function tinyOnnxModel(settings: { pooling?: Record<string, boolean>; maxTokens?: number } = {}): string {
  const dir = join(mkdtempSync(join(tmpdir(), 'paperboy-onnx-')), 'tiny-embedder');
  mkdirSync(join(dir, 'onnx'), { recursive: true });
  if (settings.pooling) {
    mkdirSync(join(dir, '1_Pooling'));
    writeFileSync(join(dir, '1_Pooling', 'config.json'), JSON.stringify(settings.pooling));
  }
  if (settings.maxTokens) writeFileSync(join(dir, 'sentence_bert_config.json'), JSON.stringify({ max_seq_length: settings.maxTokens }));
  const vocab = Object.fromEntries(Object.keys(WORDS).map((w, i) => [w, i]));
  const special = (content: string, id: number) => ({
    id,
    content,
    single_word: false,
    lstrip: false,
    rstrip: false,
    normalized: false,
    special: true,
  });
  writeFileSync(
    join(dir, 'tokenizer.json'),
    JSON.stringify({
      version: '1.0',
      truncation: null,
      padding: null,
      added_tokens: [special('[UNK]', 0), special('[PAD]', 1)],
      normalizer: { type: 'Lowercase' },
      pre_tokenizer: { type: 'Whitespace' },
      post_processor: null,
      decoder: null,
      model: { type: 'WordLevel', vocab, unk_token: '[UNK]' },
    }),
  );
  writeFileSync(
    join(dir, 'tokenizer_config.json'),
    JSON.stringify({ tokenizer_class: 'PreTrainedTokenizerFast', model_max_length: 128, pad_token: '[PAD]', unk_token: '[UNK]' }),
  );
  writeFileSync(
    join(dir, 'config.json'),
    JSON.stringify({ model_type: 'bert', hidden_size: TINY_DIMENSIONS, architectures: ['BertModel'] }),
  );
  writeFileSync(join(dir, 'onnx', 'model.onnx'), onnxModel());
  return dir;
}
