// The create and edit forms: their fields, the body they send, and the API's field names they answer to.

function field(prefix, name) {
  return document.getElementById(prefix + name);
}

/** The API's field names for the inputs of the form whose ids begin with prefix ('' or 'edit-'). */
export function fields(prefix) {
  return {
    redirect_url: field(prefix, 'redirect-url'),
    'platform_urls.Android': field(prefix, 'android-url'),
    'platform_urls.IPhone': field(prefix, 'iphone-url')
  };
}

/** The request body; on edit, an empty store URL removes it (the other platforms' URLs are kept). */
export function body(prefix, editing) {
  const android = field(prefix, 'android-url').value.trim();
  const iphone = field(prefix, 'iphone-url').value.trim();
  const urls = editing ? { Android: android || null, IPhone: iphone || null } : {};
  if (!editing && android) urls.Android = android;
  if (!editing && iphone) urls.IPhone = iphone;
  return JSON.stringify({
    redirect_url: field(prefix, 'redirect-url').value.trim(),
    platform_urls: urls,
    forward_query: field(prefix, 'forward-query').checked
  });
}

export function fill(prefix, campaign) {
  field(prefix, 'redirect-url').value = campaign.redirect_url;
  field(prefix, 'android-url').value = (campaign.platform_urls || {}).Android || '';
  field(prefix, 'iphone-url').value = (campaign.platform_urls || {}).IPhone || '';
  field(prefix, 'forward-query').checked = !!campaign.forward_query;
}
