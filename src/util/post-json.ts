// The one way we call an OpenAI-compatible endpoint (embeddings, chat): JSON in, the operator's key
// as a bearer token when there is one, and a time limit.
export function postJson(url: string, body: unknown, apiKey: string | undefined, timeoutMs: number): Promise<Response> {
  return fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(apiKey ? { authorization: `Bearer ${apiKey}` } : {}) },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
}
