import assert from 'node:assert/strict';
import { test } from 'node:test';
import { renderTex, texToText, titleText } from './tex.ts';

test("abstracts' text-mode commands show as emphasis, not as raw \\emph{…}", () => {
  assert.equal(
    renderTex('We \\emph{prove} a \\textbf{bold <b>} claim in \\texttt{code} and \\textsc{caps}.'),
    'We <em>prove</em> a <strong>bold &lt;b&gt;</strong> claim in <code>code</code> and caps.',
  );
  assert.match(renderTex('$x$ and \\emph{y}'), /class="katex"[\s\S]* and <em>y<\/em>$/);
});

test('feed titles read as text: fonts give their letters, symbols their characters', () => {
  assert.equal(titleText('Lattices in ${\\mathbb R}^{12}$ and the $\\mathrm{O}(2)$ model'), 'Lattices in R^12 and the O(2) model');
  assert.equal(titleText('$\\alpha$-divergences with $\\epsilon \\le 2$ and \\emph{care}'), 'α-divergences with ε ≤ 2 and care');
  assert.equal(titleText('$\\mathcal{X} \\times \\mathbb{Z}_p$'), 'X × Z_p');
  assert.equal(texToText('We \\emph{show} $\\frac{1}{2}$'), 'We show \\frac{1}{2}', 'abstracts keep their TeX');
});
