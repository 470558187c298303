// Counts CSP violations (the strict-CSP test reads window.__cspViolations).
window.__cspViolations = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__cspViolations.push(`${e.violatedDirective} ${e.blockedURI}`);
  document.getElementById('violations').textContent = String(window.__cspViolations.length);
});
