import assert from 'node:assert/strict';
import { test } from 'node:test';
import { capNegativeSizes } from '../papers/tex.ts';
import { renderComment } from './markdown.ts';

/** Every em size in the rendered styles. */
const ems = (html: string) => [...html.matchAll(/(-?\d*\.?\d+)em/g)].map((m) => Number(m[1]));

test('negative sizes cannot move a comment off-screen or make the page miles tall', () => {
  for (const body of [
    '$\\raisebox{-5000em}{x}$',
    '$\\kern{-1000em}y$',
    '$x\\mkern-90000mu y$',
    '$\\kern---5000em z$',
    '$$\\begin{aligned}a\\\\[-5000em]b\\end{aligned}$$',
  ]) {
    const html = renderComment(body);
    assert.match(html, /class="katex/, body);
    const worst = Math.min(...ems(html));
    assert.ok(worst >= -25, `${body}: ${worst}em`);
  }
  assert.equal(capNegativeSizes('\\kern-0.5em \\kern--9000em \\hspace{- - -300pt}'), '\\kern-0.5em \\kern--9000em \\hspace{-100pt}');
});

test("a formula inside a link's address stays the address that was written", () => {
  const html = renderComment('See [this](https://example.org/a$x$b) and $x^2$.');
  assert.match(html, /<a href="https:\/\/example\.org\/a\$x\$b" rel="nofollow ugc noopener">this<\/a>/);
  assert.match(html, /class="katex"/, 'math in text is still rendered');
  assert.match(renderComment('`$x$` stays code'), /<code>\$x\$<\/code>/);
});
