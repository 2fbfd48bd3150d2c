// Last-Modified and If-Modified-Since for pages whose data knows when it last changed. (ETags on every
// response come from @fastify/etag; this adds the date-based half of conditional GET.)
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Sets Last-Modified (for strangers' pages); returns true when the client's copy is still current, in which case the
 * caller answers 304 without rendering anything.
 */
export function notModified(request: FastifyRequest, reply: FastifyReply, lastModified: string | null): boolean {
  // A member's page also shows their own votes and name, which the date does not cover.
  if (!lastModified || request.member) return false;
  const seconds = Math.floor(Date.parse(lastModified) / 1000);
  reply.header('last-modified', new Date(seconds * 1000).toUTCString());
  const since = request.headers['if-modified-since'];
  if (!since || request.headers['if-none-match']) return false; // an ETag, when sent, decides
  const sinceSeconds = Math.floor(Date.parse(since) / 1000);
  return Number.isFinite(sinceSeconds) && seconds <= sinceSeconds;
}
