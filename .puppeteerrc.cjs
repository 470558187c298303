// The tests drive the system's Firefox ESR (scripts/browsers.mjs finds or installs it), so
// `npm install` must not download a browser: machines without access to Google's download
// host (CI, corporate networks) would otherwise fail the install.
module.exports = { skipDownload: true };
