// A Vite/Rollup plugin for the bundles: minifies the CSS inside Lit `css` templates of src/.
// Lit keeps them as written, and in a widget whose size is a feature the whitespace and comments
// count. Only the static parts between `${…}` change. (`html` templates are left alone: they
// nest, and a regex cannot tell their text from the code of their expressions.)

/** CSS: comments out, whitespace runs to one space, none around punctuation. */
export function minifyCss(text) {
  return text
    .replace(/\/\*[\s\S]*?\*\//g, '')
    .replace(/\s+/g, ' ')
    .replace(/\s*([{};,>])\s*/g, '$1')
    .replace(/:\s+/g, ':')
    .replace(/;}/g, '}')
    .trim();
}

const TEMPLATE = /\bcss`((?:[^`\\]|\\.)*)`/g;

export function minifyTemplates() {
  return {
    name: 'prepatu-minify-templates',
    transform(code, id) {
      if (!/\/src\/.*\.ts$/.test(id) || !/\bcss`/.test(code)) return null;
      const out = code.replace(TEMPLATE, (_whole, body) => {
        const parts = body.split(/(\$\{[^}]*\})/);
        // Interpolations (shared blocks of declarations) keep a space on each side.
        return `css\`${parts.map((p) => (p.startsWith('${') ? p : minifyCss(p))).join(' ')}\``;
      });
      return out === code ? null : { code: out, map: null };
    },
  };
}
