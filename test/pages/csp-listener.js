// Loaded first by test/pages/csp.html: records every Content-Security-Policy violation (and every
// uncaught error) of the page, so the test can assert there were none.
window.__violations = [];
window.__errors = [];
window.__xss = 0;
document.addEventListener(
  'securitypolicyviolation',
  (e) => {
    window.__violations.push({
      directive: e.effectiveDirective || e.violatedDirective,
      blocked: e.blockedURI || 'inline',
      sample: e.sample,
      source: e.sourceFile,
      line: e.lineNumber,
      column: e.columnNumber,
      element: e.target && e.target.nodeType === 1 ? e.target.localName + (e.target.className ? '.' + String(e.target.className).split(' ').join('.') : '') : String(e.target && e.target.nodeName),
    });
  },
  true,
);
window.addEventListener('error', (e) => window.__errors.push(String(e.message)));
window.addEventListener('unhandledrejection', (e) => window.__errors.push(String(e.reason && e.reason.message ? e.reason.message : e.reason)));
