// The OpenAPI 3.1 description served at /openapi.json. docs/api.md is the prose version.
import { API_LIMITS } from './papers.ts';

const text = { type: 'string' } as const;
const user = {
  type: 'object',
  properties: { _id: text, name: text, fullname: text, user: text, type: text, avatarUrl: { type: 'null' }, isPro: { type: 'boolean' } },
} as const;

const paper = {
  type: 'object',
  required: ['id', 'authors', 'publishedAt', 'submittedOnDailyAt', 'title', 'summary', 'upvotes', 'discussionId'],
  properties: {
    id: { type: 'string', description: 'arXiv identifier without version', examples: ['2301.00001', 'hep-th/9901001'] },
    authors: { type: 'array', items: { type: 'object', properties: { _id: text, name: text, hidden: { type: 'boolean' } } } },
    publishedAt: {
      type: 'string',
      format: 'date-time',
      description: 'First version (v1) on arXiv; when unknown, when the paper entered its list',
    },
    submittedOnDailyAt: { type: 'string', format: 'date-time', description: 'When the paper entered its daily list' },
    submittedOnDailyBy: user,
    title: text,
    summary: { type: 'string', description: 'The abstract as arXiv gives it, raw LaTeX included' },
    upvotes: { type: 'integer' },
    discussionId: text,
    githubRepo: { type: 'string', format: 'uri' },
    githubStars: { type: 'integer' },
    projectPage: { type: 'string', format: 'uri' },
    url: { type: 'string', format: 'uri', description: 'This site’s page for the paper (not in HF’s API)' },
    categories: { type: 'array', items: text, description: 'arXiv categories, primary first (not in HF’s API)' },
    listedOn: { type: 'string', format: 'date', description: 'The day whose list the paper is on (not in HF’s API)' },
  },
} as const;

const error = {
  type: 'object',
  required: ['error', 'statusCode'],
  properties: { error: text, parameter: { type: 'string', description: 'The parameter at fault' }, statusCode: { type: 'integer' } },
} as const;

const query = (name: string, description: string, schema: object) => ({ name, in: 'query', required: false, description, schema });

/** Every API path: its parameters and responses. */
const PATHS = {
  '/api/daily_papers': {
    get: {
      summary: 'Papers on a day’s, week’s or month’s list (default: the latest day)',
      parameters: [
        query('date', 'A day, YYYY-MM-DD', { type: 'string', format: 'date' }),
        query('week', 'An ISO week, YYYY-Www', { type: 'string', pattern: '^\\d{4}-W\\d{2}$' }),
        query('month', 'A month, YYYY-MM', { type: 'string', pattern: '^\\d{4}-\\d{2}$' }),
        query('submitter', 'Only papers put on the list by this user', { type: 'string', maxLength: 100 }),
        query(
          'list',
          'picks: the papers someone chose (submitted, upvoted, or listed by a source of picks), as Hugging Face returns; all: every paper. A list without picks returns every paper either way',
          { type: 'string', enum: ['picks', 'all'], default: 'picks' },
        ),
        {
          ...query(
            'category',
            'Only papers in one of these arXiv categories (cs.CL) or archives (cs); repeat it, or separate with commas',
            {
              type: 'array',
              items: { type: 'string', pattern: '^[a-z-]+(\\.[A-Za-z-]+)?$' },
              maxItems: 20,
            },
          ),
          style: 'form',
          explode: true,
        },
        query(
          'sort',
          'default: by upvotes; publishedAt: newest first; trending: upvotes weighed against time on the list (/about#trending), over the period or, without one, the last 7 days of lists',
          { type: 'string', enum: ['publishedAt', 'trending'] },
        ),
        query('p', 'Page, from 0', { type: 'integer', minimum: 0, maximum: API_LIMITS.maxPage, default: 0 }),
        query('limit', 'Items a page', { type: 'integer', minimum: 1, maximum: API_LIMITS.maxLimit, default: API_LIMITS.defaultLimit }),
      ],
      responses: {
        200: {
          description: 'Items ranked by upvotes',
          content: {
            'application/json': {
              schema: {
                type: 'array',
                items: {
                  type: 'object',
                  properties: {
                    paper,
                    publishedAt: { type: 'string', format: 'date-time' },
                    title: text,
                    summary: text,
                    thumbnail: { type: 'string', format: 'uri' },
                    numComments: { type: 'integer' },
                    submittedBy: user,
                    isAuthorParticipating: { type: 'boolean' },
                  },
                },
              },
            },
          },
        },
        400: { description: 'A parameter is invalid; `parameter` names it', content: { 'application/json': { schema: error } } },
      },
    },
  },
  '/api/papers/search': {
    get: {
      summary: 'Papers matching a query (keyword search), best first; items shaped like /api/daily_papers',
      parameters: [
        {
          name: 'q',
          in: 'query',
          required: true,
          description: 'Words, "phrases", -exclusions, ti:, au:, cat:; or an arXiv id/URL',
          schema: { type: 'string', maxLength: 2000 },
        },
        query('from', 'First-version date from, inclusive', { type: 'string', format: 'date' }),
        query('to', 'First-version date to, inclusive', { type: 'string', format: 'date' }),
        query('category', 'An arXiv category (cs.CL) or archive (cs)', { type: 'string' }),
        query('author', 'Words of an author name', { type: 'string', maxLength: 100 }),
        query('mode', 'Ranking: hybrid (words and meaning, the default), keyword or semantic', {
          type: 'string',
          enum: ['hybrid', 'keyword', 'semantic'],
        }),
        query('p', 'Page, from 0', { type: 'integer', minimum: 0, maximum: API_LIMITS.maxPage, default: 0 }),
        query('limit', 'Items a page', { type: 'integer', minimum: 1, maximum: API_LIMITS.maxLimit, default: API_LIMITS.defaultLimit }),
      ],
      responses: {
        200: { description: 'Matching papers, best first' },
        400: { description: 'A parameter is invalid; `parameter` names it', content: { 'application/json': { schema: error } } },
      },
    },
  },
  '/api/papers/{id}': {
    get: {
      summary: 'One paper',
      parameters: [{ name: 'id', in: 'path', required: true, schema: text, description: 'arXiv id; a version suffix is ignored' }],
      responses: {
        200: { description: 'The paper', content: { 'application/json': { schema: paper } } },
        400: { description: 'Not an arXiv identifier', content: { 'application/json': { schema: error } } },
        404: { description: 'Unknown paper', content: { 'application/json': { schema: error } } },
      },
    },
  },
  '/api/papers/{id}/similar': {
    get: {
      summary: 'The papers most similar to one (by title and abstract), best first; items shaped like /api/daily_papers',
      parameters: [
        { name: 'id', in: 'path', required: true, schema: text },
        query('limit', 'How many', { type: 'integer', minimum: 1, maximum: 50, default: 10 }),
        query('from', 'First-version date from, inclusive', { type: 'string', format: 'date' }),
        query('to', 'First-version date to, inclusive', { type: 'string', format: 'date' }),
        query('category', 'An arXiv category (cs.CL) or archive (cs)', { type: 'string' }),
        query('author', 'Words of an author name', { type: 'string', maxLength: 100 }),
      ],
      responses: {
        200: { description: 'Similar papers, best first' },
        400: { description: 'A parameter is invalid', content: { 'application/json': { schema: error } } },
        404: { description: 'Unknown paper', content: { 'application/json': { schema: error } } },
      },
    },
  },
  '/api/papers/{id}/upvote': {
    post: {
      summary: "Upvote a paper as the token's member (idempotent)",
      security: [{ token: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: text }],
      responses: {
        200: { description: '{ id, upvoted, upvotes }: the count afterwards' },
        401: { description: 'No personal API token, or an unknown one', content: { 'application/json': { schema: error } } },
        404: { description: 'Unknown paper', content: { 'application/json': { schema: error } } },
        409: { description: 'The paper is on no daily list', content: { 'application/json': { schema: error } } },
      },
    },
    delete: {
      summary: 'Take the upvote back (idempotent)',
      security: [{ token: [] }],
      parameters: [{ name: 'id', in: 'path', required: true, schema: text }],
      responses: { 200: { description: '{ id, upvoted: false, upvotes }' }, 401: { description: 'No valid token' } },
    },
  },
  '/api/me': {
    get: {
      summary: "The token's member: name, role, email, categories, topics",
      security: [{ token: [] }],
      responses: { 200: { description: 'The member' }, 401: { description: 'No valid token' } },
    },
  },
  '/api/me/for-you': {
    get: {
      summary: "A day's papers ranked for the member (For you), best first; items shaped like /api/daily_papers plus upvotedByMe",
      security: [{ token: [] }],
      parameters: [
        query('date', 'The day, YYYY-MM-DD (default: the latest list)', { type: 'string', format: 'date' }),
        query('limit', 'How many', { type: 'integer', minimum: 1, maximum: API_LIMITS.maxLimit, default: API_LIMITS.defaultLimit }),
      ],
      responses: {
        200: { description: 'Papers, best first; empty until the member has liked a paper or named a topic' },
        400: { description: 'A parameter is invalid', content: { 'application/json': { schema: error } } },
        401: { description: 'No valid token' },
      },
    },
  },
  '/healthz': {
    get: {
      summary: 'Liveness and database check',
      responses: { 200: { description: 'OK' }, 503: { description: 'The database does not answer' } },
    },
  },
};

export function openApiDocument(publicUrl: string) {
  return {
    openapi: '3.1.0',
    info: {
      title: 'Paperboy API',
      version: '1',
      description: 'Daily research papers, in the shape of Hugging Face’s public papers API. Explained at /docs/api.',
    },
    servers: [{ url: publicUrl }],
    components: {
      securitySchemes: { token: { type: 'http', scheme: 'bearer', description: 'A personal API token (Settings → API tokens)' } },
    },
    paths: PATHS,
  };
}
