// The browser side of the stand-in for VS Code's webview host, as the JavaScript text the harness
// serves (a nonce'd script that runs before the timeline's): acquireVsCodeApi() whose
// postMessage goes to the Node side through a binding the harness exposes, the theme's variables
// and body class set the way VS Code sets them, and a record of any CSP violation.

import { THEMES, type ThemeName } from './themes.js';

/** The name of the binding (page.exposeFunction) that carries webview messages to Node. */
export const TO_HOST_BINDING = '__rvreplayToHost';

export function vscodeStubScript(theme: ThemeName): string {
  const { bodyClass, variables } = THEMES[theme];
  return `(() => {
  'use strict';
  window.__cspViolations = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI);
  });
  const variables = ${JSON.stringify(variables)};
  for (const [name, value] of Object.entries(variables)) document.documentElement.style.setProperty(name, value);
  const classify = () => {
    document.body.classList.add(${JSON.stringify(bodyClass)});
    document.body.dataset.vscodeThemeKind = ${JSON.stringify(bodyClass)};
  };
  if (document.body) classify();
  else document.addEventListener('DOMContentLoaded', classify);
  let state;
  let acquired = false;
  window.acquireVsCodeApi = () => {
    if (acquired) throw new Error('acquireVsCodeApi may be called once');
    acquired = true;
    return Object.freeze({
      postMessage: (message) => { window.${TO_HOST_BINDING}(message); },
      getState: () => state,
      setState: (s) => { state = s; return s; },
    });
  };
})();
`;
}
