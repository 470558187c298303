#!/usr/bin/env node
// Writes docs/elements.md from custom-elements.json (itself generated from the elements'
// JSDoc), so the element reference cannot drift from the code. Run by `npm run build`.
import { readFileSync, writeFileSync } from 'node:fs';

const manifest = JSON.parse(readFileSync('custom-elements.json', 'utf8'));
const esc = (s = '') => String(s).replace(/\|/g, '\\|').replace(/\n+/g, ' ').trim();
const code = (s) => (s ? `\`${esc(s)}\`` : '');
const table = (head, rows) => (rows.length ? `| ${head.join(' | ')} |\n|${head.map(() => '---').join('|')}|\n${rows.map((r) => `| ${r.join(' | ')} |`).join('\n')}\n\n` : '');

const elements = manifest.modules
  .flatMap((m) => (m.declarations ?? []).filter((d) => d.customElement && d.tagName).map((d) => ({ ...d, path: m.path })))
  .sort((a, b) => a.tagName.localeCompare(b.tagName));

let md = `# Element reference

Generated from \`custom-elements.json\` (the elements' JSDoc) by \`scripts/gen-docs.mjs\`; do not edit by hand.
Register every element with \`import '@prepatu/elements/define.js'\` (or load \`dist/prepatu.js\`), or one at a
time with each class's \`define(tag?, registry?)\`, which skips a tag that is already taken.

All events bubble and are composed (a page listening on \`document\` hears them from inside the widget).
Every user-visible string can be replaced through the element's \`strings\` property.

${elements.map((d) => `- [\`<${d.tagName}>\`](#${d.tagName})`).join('\n')}

`;
for (const d of elements) {
  md += `## \`<${d.tagName}>\`\n\n${esc(d.summary ?? '')}\n\n${d.description ? `${d.description.trim()}\n\n` : ''}Source: \`${d.path}\`\n\n`;
  const attrs = (d.attributes ?? []).filter((a) => a.name);
  md += attrs.length ? `### Attributes\n\n${table(['Attribute', 'Property', 'Type', 'Default', 'Description'], attrs.map((a) => [code(a.name), code(a.fieldName), code(a.type?.text), code(a.default), esc(a.description)]))}` : '';
  const props = (d.members ?? []).filter((m) => m.kind === 'field' && m.privacy !== 'private' && m.privacy !== 'protected' && !m.static && !m.name.startsWith('_') && !m.name.startsWith('#') && !attrs.some((a) => a.fieldName === m.name));
  md += props.length ? `### Properties (no attribute)\n\n${table(['Property', 'Type', 'Description'], props.map((p) => [code(p.name), code(p.type?.text), esc(p.description) + (p.readonly ? ' (read-only)' : '')]))}` : '';
  const methods = (d.members ?? []).filter((m) => m.kind === 'method' && m.privacy !== 'private' && m.privacy !== 'protected' && !m.static && !m.name.startsWith('#') && !['render', 'connectedCallback', 'disconnectedCallback', 'updated', 'willUpdate', 'firstUpdated'].includes(m.name));
  md += methods.length ? `### Methods\n\n${table(['Method', 'Description'], methods.map((m) => [code(`${m.name}(${(m.parameters ?? []).map((p) => p.name).join(', ')})`), esc(m.description)]))}` : '';
  md += d.events?.length ? `### Events\n\n${table(['Event', 'Description'], d.events.filter((e) => e.name).map((e) => [code(e.name), esc(e.description)]))}` : '';
  md += d.slots?.length ? `### Slots\n\n${table(['Slot', 'Description'], d.slots.map((s) => [s.name ? code(s.name) : '(default)', esc(s.description)]))}` : '';
  md += d.cssParts?.length ? `### CSS parts\n\n${table(['Part', 'Description'], d.cssParts.map((p) => [code(p.name), esc(p.description)]))}` : '';
  md += d.cssProperties?.length ? `### CSS custom properties\n\n${table(['Property', 'Default', 'Description'], d.cssProperties.map((p) => [code(p.name), code(p.default), esc(p.description)]))}` : '';
}
writeFileSync('docs/elements.md', md);
console.log(`docs/elements.md: ${elements.length} elements`);
