// An OpenAI-compatible embeddings endpoint (OpenAI, Ollama, TEI, vLLM): EMBEDDER=openai.
import { postJson } from '../../util/post-json.ts';
import { normalize } from './builtin.ts';
import { EmbeddingError, type Embedder, type EmbeddingSettings } from './embedder.ts';

const OPENAI_BATCH = 64;
const OPENAI_TIMEOUT_MS = 60_000;

/** An OpenAI-compatible embeddings endpoint: POST {url}/embeddings {model, input: [...]}. */
export function openAiEmbedder(settings: EmbeddingSettings, dimensions?: number): Embedder {
  const url = `${settings.EMBEDDING_URL!.replace(/\/+$/, '')}/embeddings`;
  return {
    async embed(texts) {
      const out: Float32Array[] = [];
      for (let i = 0; i < texts.length; i += OPENAI_BATCH) {
        const input = texts.slice(i, i + OPENAI_BATCH).map((t) => t.slice(0, 8_000) || ' ');
        let response: Response;
        try {
          response = await postJson(url, { model: settings.EMBEDDING_MODEL, input }, settings.EMBEDDING_API_KEY, OPENAI_TIMEOUT_MS);
        } catch (err) {
          throw new EmbeddingError(`the embeddings endpoint ${url} cannot be reached: ${(err as Error).message}`);
        }
        if (!response.ok)
          throw new EmbeddingError(
            `the embeddings endpoint ${url} answered HTTP ${response.status}: ${(await response.text()).slice(0, 200)}`,
          );
        const body = (await response.json().catch(() => null)) as { data?: { index?: number; embedding?: unknown }[] } | null;
        const data = body?.data;
        if (!Array.isArray(data) || data.length !== input.length)
          throw new EmbeddingError(`the embeddings endpoint ${url} did not return one embedding per input`);
        const ordered = [...data].sort((a, b) => (a.index ?? 0) - (b.index ?? 0));
        for (const item of ordered) {
          const e = item.embedding;
          if (!Array.isArray(e) || e.length === 0 || !e.every((x) => typeof x === 'number' && Number.isFinite(x)))
            throw new EmbeddingError(`the embeddings endpoint ${url} returned a malformed embedding`);
          if (dimensions !== undefined && e.length !== dimensions)
            throw new EmbeddingError(
              `the embeddings endpoint ${url} returned ${e.length} dimensions where the stored model has ${dimensions}; run paperboy embed --retrain`,
            );
          out.push(normalize(Float32Array.from(e as number[])));
        }
      }
      return out;
    },
  };
}
