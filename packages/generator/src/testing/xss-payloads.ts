/**
 * Script-injection payloads for the site's safety tests. Each one, if it
 * ever ran, calls `__xss(<its number>)` (or `alert(<its number>)`), which
 * the browser tests record. They aim at HTML text and attributes, URLs,
 * the sanitiser (mutation XSS), XML (the feed, sitemap and badges) and
 * templates.
 */
export function xssPayloads(): string[] {
  const templates: ((call: string, i: number) => string)[] = [
    (c) => `<script>${c}</script>`,
    (c) => `<img src=x onerror=${c}>`,
    (c) => `<svg onload=${c}>`,
    (c) => `<svg><script>${c}</script></svg>`,
    (c) => `"><script>${c}</script>`,
    (c) => `'><img src=x onerror=${c}>`,
    (c) => `" autofocus onfocus="${c}" x="`,
    (c) => `' autofocus onfocus='${c}' x='`,
    (c) => `javascript:${c}`,
    (c) => `JaVaScRiPt:${c}`,
    (c) => `java\tscript:${c}`,
    (c) => `data:text/html,<script>${c}</script>`,
    (c) => `<iframe srcdoc="<script>parent.${c}</script>"></iframe>`,
    (c) => `<details open ontoggle=${c}>x</details>`,
    (c) => `<body onload=${c}>`,
    (c) => `<math><mtext><table><mglyph><style><img src=x onerror=${c}></style></mglyph></table></mtext></math>`,
    (c) => `<noscript><p title="</noscript><img src=x onerror=${c}>">`,
    (c) => `<a href="javascript:${c}" id="clickme">click</a>`,
    (c) => `<form><button formaction="javascript:${c}">x</button></form>`,
    (c) => `<input autofocus onfocus=${c}>`,
    (c) => `<object data="javascript:${c}"></object>`,
    (c) => `<embed src="data:text/html,<script>${c}</script>">`,
    (c) => `<meta http-equiv="refresh" content="0;url=javascript:${c}">`,
    (c) => `<base href="javascript:${c}//">`,
    (c) => `<div style="background:url(javascript:${c})">x</div>`,
    (c) => `]]><script xmlns="http://www.w3.org/1999/xhtml">${c}</script>`,
    (c) => `<!--<img src="--><img src=x onerror=${c}//">`,
    (c) => `<scr<script>ipt>${c}</scr</script>ipt>`,
    (c) => `<%= ${c} %><%~ ${c} %>{{${c}}}`,
    (c) => `</textarea></title></style></script><script>${c}</script>`,
    (c) => `<video><source onerror=${c}></video>`,
    (c) => `<audio src=x onerror=${c}>`,
    (c) => `<select autofocus onfocus=${c}></select>`,
    (c) => `<img src="x\`" onerror=${c}>`,
    (c) => `<a href="&#106;&#97;&#118;&#97;&#115;&#99;&#114;&#105;&#112;&#116;&#58;${c}">entity</a>`,
    (_c, i) => `<img src=x onerror=alert(${i})>`,
    (_c, i) => `<svg><animate onbegin=alert(${i}) attributeName=x dur=1s>`,
  ];
  return templates.map((t, i) => t(`__xss(${i + 1})`, i + 1));
}
