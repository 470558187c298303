// The bundles' template minifier keeps what the markup means.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { minifyHtml, minifySource } from '../../scripts/minify-templates.mjs';

describe('minifyTemplates', () => {
  it('drops layout whitespace between tags and at the ends, keeps spaces on a line', () => {
    assert.equal(minifyHtml('\n  <div>\n    <b>a</b> <i>b</i>\n  </div>\n', true, true), '<div><b>a</b> <i>b</i></div>');
    assert.equal(minifyHtml('<p>Hello\n    world</p>', true, true), '<p>Hello world</p>');
  });

  it('keeps a space where a line break separates text from an expression', () => {
    const out = minifySource('const t = html`<span>${a}\n   ${b}</span>`;');
    assert.equal(out, 'const t = html`<span>${a} ${b}</span>`;');
  });

  it('changes only the static parts: expressions and nested templates keep their code', () => {
    const src = 'x = html`<ul>\n  ${items.map((i) => html`<li>\n    ${i}\n  </li>`)}\n</ul>`;';
    // Beside an expression the run may be text: one space stays.
    assert.equal(minifySource(src), 'x = html`<ul> ${items.map((i) => html`<li> ${i} </li>`)} </ul>`;');
    const strings = 'y = html`<b title="a  b">${"keep\\n   this"}</b>`;';
    assert.equal(minifySource(strings), null);
  });

  it('leaves templates with <pre>, <textarea> or comments alone, and minifies css', () => {
    assert.equal(minifySource('z = html`<textarea>\n  x\n</textarea>`;'), null);
    assert.equal(minifySource('s = css`\n  .a {\n    color: red; /* c */\n  }\n`;'), 's = css` .a{color:red}`;');
  });
});
