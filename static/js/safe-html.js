// The one way server-rendered HTML (a theme's `synthesis_html`) enters a page. The server already
// sanitised it (collab/markdown.py, nh3); here it is parsed in an inert document (DOMParser: no script
// runs, nothing loads) and rebuilt node by node from the same allow-list, so a page never assigns
// innerHTML and an unexpected tag or attribute is dropped again (defence in depth).

const TAGS = new Set(['H1', 'H2', 'H3', 'H4', 'P', 'UL', 'OL', 'LI', 'STRONG', 'EM', 'A', 'BR', 'BLOCKQUOTE']);
const SCHEMES = /^(https?:|mailto:)/i;

function rebuild(node, doc) {
  if (node.nodeType === Node.TEXT_NODE) return doc.createTextNode(node.textContent);
  if (node.nodeType !== Node.ELEMENT_NODE) return null;
  const children = [...node.childNodes].map((child) => rebuild(child, doc)).filter(Boolean);
  if (!TAGS.has(node.tagName)) {
    const fragment = doc.createDocumentFragment(); // an unknown element keeps only its text
    fragment.append(...children);
    return fragment;
  }
  const copy = doc.createElement(node.tagName.toLowerCase());
  if (node.tagName === 'A') {
    const href = node.getAttribute('href') || '';
    if (SCHEMES.test(href)) copy.setAttribute('href', href);
    if (node.getAttribute('title')) copy.setAttribute('title', node.getAttribute('title'));
    copy.setAttribute('rel', 'noopener noreferrer nofollow');
    copy.setAttribute('target', '_blank');
  } else if (node.tagName === 'OL' && /^\d+$/.test(node.getAttribute('start') || '')) {
    copy.setAttribute('start', node.getAttribute('start'));
  }
  copy.append(...children);
  return copy;
}

/** Replaces `box`'s content with the elements of sanitised `html`. */
export function setSafeHtml(box, html) {
  const parsed = new DOMParser().parseFromString(`<body>${html || ''}</body>`, 'text/html');
  const nodes = [...parsed.body.childNodes].map((node) => rebuild(node, document)).filter(Boolean);
  box.replaceChildren(...nodes);
}
