// Tracking links with copy buttons.
import { PLATFORMS, PLATFORM_LABELS } from './platforms.js';
import { confirm } from './feedback.js';

/**
 * The host of url as browsers send visitors to it (punycode), when url writes it otherwise (in
 * other scripts): shown beside it, so that a lookalike of a known name (Cyrillic а for Latin a) shows.
 */
export function asciiHost(url) {
  let host;
  try {
    host = new URL(url).hostname;
  } catch (e) {
    return null;
  }
  // The host as written: the authority, without user name and port (a path or query naming the
  // punycode must not hide it).
  const authority = url.replace(/^[a-z][a-z0-9+.-]*:\/\//i, '').split(/[/?#]/)[0];
  const written = authority.slice(authority.lastIndexOf('@') + 1).replace(/:\d*$/, '').toLowerCase();
  return host.split('.').some(label => label.startsWith('xn--')) && written !== host ? host : null;
}

export function trackingLink(id, platform) {
  return window.location.origin + '/track/' + id + (platform ? '?platform=' + platform : '');
}

export async function copy(text) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Without the clipboard API (a page served over plain http to another host): the old way.
    const area = document.createElement('textarea');
    area.value = text;
    area.setAttribute('readonly', '');
    area.className = 'offscreen';
    document.body.appendChild(area);
    area.select();
    const done = document.execCommand('copy');
    area.remove();
    if (!done) {
      confirm('Copying is not allowed here: select the link and copy it.');
      return;
    }
  }
  confirm('Copied ' + text);
}

export function copyButton(text, what) {
  const button = document.createElement('button');
  button.type = 'button';
  button.className = 'copy';
  button.textContent = 'Copy';
  button.setAttribute('aria-label', 'Copy ' + what);
  button.addEventListener('click', () => copy(text));
  return button;
}

/** The campaign's links: any platform (told by the browser), then one per platform. */
export function render(id) {
  const list = document.getElementById('links');
  list.replaceChildren(...[['Any platform (told by the browser)', null]].concat(PLATFORMS.map(p => [PLATFORM_LABELS[p], p]))
    .map(([label, platform]) => {
      const url = trackingLink(id, platform);
      const item = document.createElement('li');
      const name = document.createElement('span');
      name.textContent = label;
      const code = document.createElement('code');
      code.textContent = url;
      item.append(name, code, copyButton(url, label + ' link'));
      return item;
    }));
}
