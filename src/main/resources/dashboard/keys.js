// The API keys page: make a key (shown once, with a copy button), list them, revoke one. Every
// value is put in the page as text. Only the admin password manages keys: a browser signed in with
// it is the only client of this page.
import { api } from './api.js';
import { confirm, clearErrors, showError } from './feedback.js';
import * as format from './format.js';

function cell(text) {
  const td = document.createElement('td');
  td.textContent = text;
  return td;
}

function when(instant) {
  return instant ? format.dateTime(new Date(instant)) : 'never';
}

function row(key) {
  const tr = document.createElement('tr');
  tr.dataset.id = key.id;
  tr.appendChild(cell(String(key.id)));
  tr.appendChild(cell(key.name));
  tr.appendChild(cell(key.scopes.join(', ')));
  tr.appendChild(cell(when(key.created_at)));
  tr.appendChild(cell(when(key.last_used_at)));
  const actions = document.createElement('td');
  actions.className = 'row-actions';
  const revoke = document.createElement('button');
  revoke.type = 'button';
  revoke.textContent = 'Revoke';
  revoke.className = 'small danger';
  revoke.setAttribute('aria-label', 'Revoke API key ' + key.name);
  revoke.addEventListener('click', () => revokeKey(key));
  actions.appendChild(revoke);
  tr.appendChild(actions);
  return tr;
}

async function load() {
  const keys = await api('/admin/api-keys');
  document.querySelector('#keys tbody').replaceChildren(...keys.map(row));
  document.getElementById('no-keys').hidden = keys.length > 0;
}

async function revokeKey(key) {
  if (!window.confirm('Revoke API key ' + key.id + ' (' + key.name + ')? Anything using it is refused from then on.')) return;
  try {
    await api('/admin/api-keys/' + key.id, { method: 'DELETE' });
  } catch (e) {
    confirm('The key was not revoked: ' + e.message);
    return;
  }
  confirm('API key ' + key.id + ' revoked.');
  await load();
}

/** The key just made, until the page is left: it is never shown again. */
function showNewKey(key) {
  document.getElementById('new-key-value').textContent = key || '';
  document.getElementById('new-key').hidden = !key;
}

async function copyKey() {
  const key = document.getElementById('new-key-value').textContent;
  try {
    await navigator.clipboard.writeText(key);
    confirm('Copied the key.');
  } catch (e) {
    // Without the clipboard API (plain http to another host): the key is selected to copy by hand.
    const range = document.createRange();
    range.selectNodeContents(document.getElementById('new-key-value'));
    window.getSelection().removeAllRanges();
    window.getSelection().addRange(range);
    confirm('Copying is not allowed here: the key is selected, copy it with the keyboard.');
  }
}

export async function show() {
  showNewKey(null);
  await load();
}

export function init() {
  document.getElementById('copy-key').addEventListener('click', () => copyKey());
  const form = document.getElementById('create-key');
  const fields = { name: document.getElementById('key-name') };
  form.addEventListener('submit', async event => {
    event.preventDefault();
    clearErrors(form);
    const scopes = [...form.querySelectorAll('input[name=scope]:checked')].map(input => input.value);
    try {
      const made = await api('/admin/api-keys', {
        method: 'POST',
        body: JSON.stringify({ name: fields.name.value.trim(), scopes })
      });
      form.reset();
      showNewKey(made.key);
      document.getElementById('copy-key').focus();
      await load();
    } catch (e) {
      showError(form, e.message, fields);
      if (/^scopes\b/.test(e.message)) {
        // The scopes are a group of boxes, not one input: their error goes under the group.
        form.querySelector('.form-error').textContent = '';
        document.getElementById('key-scopes-error').textContent = e.message.replace(/^scopes/, 'Scopes');
      }
    }
  });
}
