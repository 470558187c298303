// A Vite/Rollup plugin for the bundles: minifies the static text of Lit's `css`, `html` and `svg`
// tagged templates in src/. Lit keeps them as written, and in a widget whose size is a feature the
// indentation and comments count. The templates are found with the TypeScript parser, not a
// regex, so only the literal parts between `${…}` change (never an expression, never a nested
// template's code), and the rules keep what the markup means:
//   css:  comments out, whitespace runs to one space, none around punctuation.
//   html/svg: a whitespace run that holds a line break is layout of the source: between two
//         tags (or at either end of the template) it goes, elsewhere it becomes one space; a
//         run on one line (a space between two words or two inline elements) stays. Templates
//         with <pre>, <textarea> or comments are left alone.
import ts from 'typescript';

/** CSS: comments out, whitespace runs to one space, none around punctuation. */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}');
}

/** One static part of an html/svg template; `first`/`last`: it starts or ends the template. */
export function minifyHtml(text, first, last) {
  return text
    .replace(/\s*\n\s*/g, (run, at, all) => {
      const before = at === 0 ? (first ? '' : null) : all[at - 1];
      const after = at + run.length === all.length ? (last ? '' : null) : all[at + run.length];
      return (before === '>' || before === '') && (after === '<' || after === '') ? '' : ' ';
    });
}

const UNSAFE_HTML = /<pre\b|<textarea\b|<!--/i;

/** Rewrites the templates of one TypeScript source; returns null when nothing changed. */
export function minifySource(code, fileName = 'x.ts') {
  if (!/\b(css|html|svg)`/.test(code)) return null;
  const file = ts.createSourceFile(fileName, code, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
  const edits = [];
  const visit = (node) => {
    if (ts.isTaggedTemplateExpression(node) && ts.isIdentifier(node.tag) && ['css', 'html', 'svg'].includes(node.tag.text)) {
      const tag = node.tag.text;
      const t = node.template;
      // Each static part: its raw text's position in the source (between the backtick/`}` and `${`/backtick).
      const parts = ts.isNoSubstitutionTemplateLiteral(t) ? [t] : [t.head, ...t.templateSpans.map((s) => s.literal)];
      const raws = parts.map((p) => {
        const start = p.getStart(file) + 1; // after ` or }
        const end = p.getEnd() - (ts.isTemplateHead(p) || ts.isTemplateMiddle(p) ? 2 : 1); // before ${ or `
        return { start, end, text: code.slice(start, end) };
      });
      const whole = raws.map((r) => r.text).join('');
      if (tag !== 'css' && UNSAFE_HTML.test(whole)) return ts.forEachChild(node, visit);
      raws.forEach((r, i) => {
        const out = tag === 'css' ? minifyCss(r.text) : minifyHtml(r.text, i === 0, i === raws.length - 1);
        if (out !== r.text) edits.push({ ...r, out });
      });
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  if (!edits.length) return null;
  edits.sort((a, b) => b.start - a.start);
  let out = code;
  for (const e of edits) out = out.slice(0, e.start) + e.out + out.slice(e.end);
  return out;
}

export function minifyTemplates() {
  return {
    name: 'prepatu-minify-templates',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id)) return null;
      const out = minifySource(code, id);
      return out === null ? null : { code: out, map: null };
    },
  };
}
