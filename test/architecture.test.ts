// The shape docs/architecture.md promises, checked on every run: layers import only downwards, no
// module imports itself round a circle, SQL stays out of the HTTP side, and no function outgrows a
// screenful. A change that breaks one fails here with the file and the line to look at.
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { test } from 'node:test';
import ts from 'typescript';

/** Each top folder of src/ and its layer: a module may import its own layer or lower ones. */
const LAYERS: Record<string, number> = {
  // Foundation: configuration, helpers, the model's types, arXiv's identifiers and clock.
  config: 0,
  util: 0,
  model: 0,
  arxiv: 0,
  storage: 1,
  // The domain: what the site does, whoever asks (the web, the CLI, a schedule).
  papers: 2,
  importer: 2,
  ingest: 2,
  search: 2,
  ranking: 2,
  community: 2,
  accounts: 2,
  coordination: 2,
  mail: 2,
  digests: 2,
  demo: 2,
  // The HTTP shell: errors, request context, sessions, caching, URL paths, route declarations.
  http: 3,
  // What the site answers, each on its own: they share the shell, never one another.
  pages: 4,
  api: 4,
  feeds: 4,
  // The composition root: builds the server from the route table.
  app: 5,
  cli: 6,
  testing: 7,
};
const SIDE_BY_SIDE = new Set(['pages', 'api', 'feeds']);
/** Layers where no query is written: they call the domain, which owns its tables' queries. */
const NO_SQL = new Set(['http', 'pages', 'api', 'feeds', 'app', 'cli']);
const MAX_FUNCTION_LINES = 80;

interface Source {
  path: string; // relative to the repository, e.g. src/pages/lists.tsx
  file: ts.SourceFile;
}

const sources: Source[] = readdirSync('src', { recursive: true, encoding: 'utf8' })
  .filter((f) => /\.tsx?$/.test(f))
  .map((f) => join('src', f))
  .map((path) => ({
    path,
    file: ts.createSourceFile(
      path,
      readFileSync(path, 'utf8'),
      ts.ScriptTarget.Latest,
      true,
      path.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS,
    ),
  }));
const isTest = (path: string) => /\.test\.tsx?$/.test(path);
const code = sources.filter((s) => !isTest(s.path));

const folderOf = (path: string) => path.split('/')[1]!;
const lineOf = (s: Source, node: ts.Node) => s.file.getLineAndCharacterOfPosition(node.getStart(s.file)).line + 1;

/** Every module a file imports (static, re-exported or dynamic) that is one of ours, with its line. */
function importsOf(s: Source): { target: string; line: number }[] {
  const found: { target: string; line: number }[] = [];
  const visit = (node: ts.Node) => {
    let specifier: ts.Expression | undefined;
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) specifier = node.moduleSpecifier;
    if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) specifier = node.arguments[0];
    if (specifier && ts.isStringLiteral(specifier) && specifier.text.startsWith('.')) {
      found.push({ target: normalize(join(dirname(s.path), specifier.text)), line: lineOf(s, node) });
    }
    ts.forEachChild(node, visit);
  };
  visit(s.file);
  return found;
}

test('every folder of src/ has a layer', () => {
  const unknown = [...new Set(code.map((s) => folderOf(s.path)))].filter((f) => !(f in LAYERS) && !f.includes('.'));
  assert.deepEqual(unknown, [], 'give new folders a layer here and in docs/architecture.md');
});

test('layers import only their own layer or lower ones; pages, API and feeds never one another', () => {
  const wrong: string[] = [];
  for (const s of code) {
    const from = folderOf(s.path);
    for (const { target, line } of importsOf(s)) {
      const to = folderOf(target);
      if (to === from || !(to in LAYERS)) continue;
      if (LAYERS[to]! > LAYERS[from]! || (SIDE_BY_SIDE.has(from) && SIDE_BY_SIDE.has(to)))
        wrong.push(`${s.path}:${line} (${from}) imports ${target} (${to})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test('search is split by database dialect: its shared code never asks which one it runs on', () => {
  const branches = code
    .filter((s) => s.path.startsWith('src/search/'))
    .flatMap((s) =>
      s.file.text
        .split('\n')
        .map((line, i) => ({ line, at: `${s.path}:${i + 1}` }))
        .filter(({ line }) => /dialect\s*[!=]==/.test(line))
        .map(({ at }) => at),
    );
  assert.deepEqual(branches, [], 'put what differs in keyword/{sqlite,postgres}.ts or embedding/dialect/{sqlite,postgres}.ts');
});

test('no module imports itself round a circle', () => {
  const graph = new Map(
    code.map((s) => [
      s.path,
      importsOf(s)
        .map((i) => i.target)
        .filter((t) => !isTest(t)),
    ]),
  );
  // Tarjan's strongly connected components: any with more than one file is a circle.
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const circles: string[][] = [];
  let next = 0;
  const connect = (v: string) => {
    index.set(v, next);
    low.set(v, next++);
    stack.push(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!index.has(w)) {
        connect(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (stack.includes(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do component.push((w = stack.pop()!));
      while (w !== v);
      if (component.length > 1) circles.push(component.sort());
    }
  };
  for (const v of graph.keys()) if (!index.has(v)) connect(v);
  assert.deepEqual(circles, []);
});

test('no SQL in the HTTP shell, pages, API, feeds, the composition root or the CLI', () => {
  const wrong: string[] = [];
  for (const s of code.filter((c) => NO_SQL.has(folderOf(c.path)))) {
    s.file.forEachChild((node) => {
      if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && node.moduleSpecifier.text === 'kysely')
        wrong.push(`${s.path}:${lineOf(s, node)} imports kysely`);
    });
    const text = s.file.getFullText();
    for (const m of text.matchAll(/\.(selectFrom|insertInto|updateTable|deleteFrom)\(|\bdb\.(transaction|executeQuery)\b/g)) {
      wrong.push(`${s.path}:${text.slice(0, m.index).split('\n').length} writes a query (${m[0]})`);
    }
  }
  assert.deepEqual(wrong, []);
});

test(`no function is longer than ${MAX_FUNCTION_LINES} lines outside tests`, () => {
  const long: string[] = [];
  for (const s of code) {
    const visit = (node: ts.Node) => {
      if (ts.isFunctionLike(node) && 'body' in node && node.body) {
        const first = lineOf(s, node);
        const last = s.file.getLineAndCharacterOfPosition(node.end).line + 1;
        if (last - first + 1 > MAX_FUNCTION_LINES)
          long.push(
            `${s.path}:${first} ${(node as ts.FunctionDeclaration).name?.getText(s.file) ?? '(anonymous)'}: ${last - first + 1} lines`,
          );
      }
      ts.forEachChild(node, visit);
    };
    visit(s.file);
  }
  assert.deepEqual(long, []);
});

test('routes are declared in the route table alone (app/routes.ts), registered by app/server.ts', () => {
  const elsewhere = code
    .filter((s) => s.path !== 'src/app/server.ts')
    .flatMap((s) =>
      [...s.file.getFullText().matchAll(/\b(app|server|fastify)\.(get|post|put|patch|delete|route)\(/g)].map((m) => `${s.path}: ${m[0]}`),
    );
  assert.deepEqual(elsewhere, []);
});
