// Wires the hand-composed page: buttons → session methods, every prepatu-* event → the log.
const session = document.getElementById('session');
const log = document.getElementById('log');
const $ = (id) => document.getElementById(id);

const EVENTS = ['prepatu-status', 'prepatu-message', 'prepatu-error', 'prepatu-transcript', 'prepatu-flow-state', 'prepatu-variable', 'prepatu-flow-end', 'prepatu-ui-event', 'prepatu-navigate', 'prepatu-unknown-artifact'];
const summary = (e) => {
  const d = e.detail ?? {};
  if (e.type === 'prepatu-message') return JSON.stringify(d.message).slice(0, 160);
  if (e.type === 'prepatu-error') return `${d.error?.code}: ${d.error?.message}`;
  if (e.type === 'prepatu-status') return d.status;
  if (e.type === 'prepatu-flow-state') return `${d.flow?.state ?? ''} ${d.flow?.artifact?.artifact_type ?? '(no artifact)'}`;
  return JSON.stringify(d).slice(0, 160);
};
for (const type of EVENTS) {
  session.addEventListener(type, (e) => {
    const line = `${new Date().toLocaleTimeString()}  ${type.replace('prepatu-', '')}  ${summary(e)}\n`;
    log.append(line); // text, never markup
    log.scrollTop = log.scrollHeight;
  });
}
session.addEventListener('prepatu-status', (e) => ($('status').textContent = e.detail.status));
$('flow').addEventListener('change', (e) => session.setAttribute('program-id', e.target.value));
$('connect').addEventListener('click', () => session.connect().catch(() => { /* shown as prepatu-error */ }));
$('end').addEventListener('click', () => session.disconnect());
$('interrupt').addEventListener('click', () => session.interrupt());
$('mute').addEventListener('click', (e) => {
  const muted = e.currentTarget.getAttribute('aria-pressed') !== 'true';
  session.setMicEnabled(!muted);
  e.currentTarget.setAttribute('aria-pressed', String(muted));
  e.currentTarget.textContent = muted ? 'Unmute' : 'Mute';
});
