// The visitor is told, in words, when the connection stalls; the call goes on.
import { expect } from '@open-wc/testing';
import '../../src/define.js';
import type { PrepatuWidget } from '../../src/elements/prepatu-widget.js';
import type { PrepatuWarning } from '../../src/protocol/index.js';
import { until, wsUrl } from '../support/servers.js';
import { hook, mount, unmountAll, widgetQuery } from './helpers.js';

describe('<prepatu-widget> on a stalled connection', function () {
  this.timeout(30_000);
  afterEach(unmountAll);

  it('shows "Your connection is slow" (part network) and fires one prepatu-warning network_slow; the call stays live', async () => {
    const host = mount(`<prepatu-widget no-audio open ws-url="${await wsUrl('documented')}"></prepatu-widget>`);
    const el = host.querySelector('prepatu-widget') as PrepatuWidget;
    const warnings: PrepatuWarning[] = [];
    el.addEventListener('prepatu-warning', (e) => warnings.push(e.detail.warning));
    await el.connect();
    await until(() => el.phase === 'live', 'live');
    const network = () => widgetQuery(el, '[part~="network"]');
    expect(network()).to.equal(null);
    hook(el.session!, { do: 'go_silent' });
    await until(() => network() !== null, 'the slow-connection line', 8000);
    expect(network()!.textContent!.trim()).to.equal('Your connection is slow');
    // "poor" after 1 s without an answer shows the line; "stalled" at 2.5 s brings the warning.
    await until(() => el.session!.state.connectionQuality === 'stalled', 'stalled', 8000);
    expect(warnings.filter((w) => w.code === 'network_slow')).to.have.length(1);
    expect(el.phase).to.equal('live');
    await expect(el).to.be.accessible();
    await el.disconnect();
  });
});
