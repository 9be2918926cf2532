// The create and edit forms: their fields, the body they send, and the API's field names they answer to.

function field(prefix, name) {
  return document.getElementById(prefix + name);
}

/** Each platform's URL input (its id after the prefix), by the API's platform name. */
const PLATFORM_FIELDS = { Android: 'android-url', IPhone: 'iphone-url', WindowsPhone: 'windowsphone-url', Other: 'other-url' };

/** The API's field names for the inputs of the form whose ids begin with prefix ('' or 'edit-'). */
export function fields(prefix) {
  const named = { redirect_url: field(prefix, 'redirect-url'), name: field(prefix, 'name'), tags: field(prefix, 'tags'),
    conversion_window_days: field(prefix, 'conversion-window') };
  Object.entries(PLATFORM_FIELDS).forEach(([platform, id]) => { named['platform_urls.' + platform] = field(prefix, id); });
  return named;
}

/** Tags as typed: separated by commas or spaces; the API checks them and keeps them in lower case. */
export function tags(text) {
  return text.split(/[\s,]+/).filter(tag => tag);
}

/**
 * The request body; on edit, an empty platform URL removes it (its visitors go to the redirect URL),
 * and an empty name or tags field clears them.
 */
export function body(prefix, editing) {
  const urls = {};
  Object.entries(PLATFORM_FIELDS).forEach(([platform, id]) => {
    const url = field(prefix, id).value.trim();
    if (url || editing) urls[platform] = url || null;
  });
  const request = {
    redirect_url: field(prefix, 'redirect-url').value.trim(),
    name: field(prefix, 'name').value.trim(),
    tags: tags(field(prefix, 'tags').value),
    platform_urls: urls,
    forward_query: field(prefix, 'forward-query').checked
  };
  // Empty: the service's default (30 days) on create, unchanged on edit. As typed otherwise: the
  // service says what is wrong with "1.5" or "0", naming the field.
  const window = field(prefix, 'conversion-window').value.trim();
  if (window) request.conversion_window_days = /^-?\d+$/.test(window) ? Number(window) : window;
  return JSON.stringify(request);
}

export function fill(prefix, campaign) {
  field(prefix, 'redirect-url').value = campaign.redirect_url;
  field(prefix, 'name').value = campaign.name || '';
  field(prefix, 'tags').value = (campaign.tags || []).join(', ');
  Object.entries(PLATFORM_FIELDS).forEach(([platform, id]) => {
    field(prefix, id).value = (campaign.platform_urls || {})[platform] || '';
  });
  field(prefix, 'forward-query').checked = !!campaign.forward_query;
  field(prefix, 'conversion-window').value = campaign.conversion_window_days || '';
}
