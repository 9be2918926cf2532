// What the page tells its user: confirmations, errors next to their fields, the live connection's state.

let toastTimer = null;

/** A short confirmation ("Saved", "Copied", …), read out by screen readers, gone after a few seconds. */
export function confirm(message) {
  const toast = document.getElementById('toast');
  toast.textContent = message;
  toast.hidden = false;
  clearTimeout(toastTimer);
  toastTimer = setTimeout(() => { toast.hidden = true; toast.textContent = ''; }, 5000);
}

/** An error of the page as a whole, until the next page is shown. */
export function pageError(message) {
  document.getElementById('page-error').textContent = message || '';
}

export function clearErrors(form) {
  form.querySelectorAll('.field-error').forEach(p => { p.textContent = ''; });
  form.querySelectorAll('[aria-invalid]').forEach(input => input.removeAttribute('aria-invalid'));
}

/**
 * Shows an API error next to the field it is about, in the form's words: `fields` maps the API's
 * field names (redirect_url, platform_urls.Android) to the inputs, whose labels replace them.
 * An error about no field goes under the form.
 */
export function showError(form, message, fields) {
  clearErrors(form);
  const names = Object.keys(fields).sort((a, b) => b.length - a.length);
  const name = names.find(n => word(n).test(message));
  const input = name ? fields[name] : null;
  const slot = input ? document.getElementById(input.id + '-error') : form.querySelector('.form-error');
  let text = message;
  if (input) {
    const label = input.closest('label').querySelector('.label').textContent;
    text = text.replace(word(name), (match, before) => before + label);
    input.setAttribute('aria-invalid', 'true');
    input.focus();
  }
  slot.textContent = text;
}

/**
 * A field's name as a word of a message: not inside a longer name or word ("name" is not in
 * "platform names", "platform_urls" not in "platform_urls.Android").
 */
function word(name) {
  return new RegExp('(^|[^\\w.])' + name.replace(/[.]/g, '\\.') + '(?![\\w.])');
}

/** The live connection's banner: lost (the numbers are a snapshot) or back (the numbers were read again). */
export function connection(state, since) {
  const banner = document.getElementById('connection');
  const badge = document.getElementById('live');
  badge.className = 'live ' + (state === 'lost' ? 'off' : 'on');
  badge.textContent = state === 'lost' ? 'offline' : 'live';
  if (state === 'lost') {
    banner.className = 'banner lost';
    banner.textContent = 'Live updates stopped: the numbers are a snapshot of ' + since
      + '. Reconnecting…';
    banner.hidden = false;
  } else if (state === 'back') {
    banner.className = 'banner back';
    banner.textContent = 'Live updates are back; the numbers were read again.';
    banner.hidden = false;
    setTimeout(() => { if (banner.className === 'banner back') banner.hidden = true; }, 8000);
  }
}
