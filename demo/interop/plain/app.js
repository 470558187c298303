// Attributes, a property and events with nothing but the DOM.
const $ = (sel) => document.querySelector(sel);
const session = $('#session');
const out = (id) => $(`[data-testid="${id}"]`);

session.setAttribute('ws-url', new URLSearchParams(location.search).get('ws') ?? '/ws');
session.addEventListener('prepatu-status', (e) => (out('status').textContent = e.detail.status));
session.addEventListener('prepatu-ui-event', (e) => (out('last-event').textContent = e.detail.action));
$('#start').addEventListener('click', () => session.connect().catch(() => {}));
$('#end').addEventListener('click', () => session.disconnect());

const plans = $('#plans');
plans.artifact = {
  artifact_type: 'options',
  prompt: 'Pick a plan',
  options: [
    { id: 'basic', label: 'Basic', description: 'One appointment a month' },
    { id: 'pro', label: 'Pro', description: 'Unlimited appointments' },
  ],
};
plans.addEventListener('prepatu-ui-event', (e) => (out('chosen').textContent = String(e.detail.data.selected_id)));
