// The admin JSON API, from the page's origin.

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

export async function request(path, options) {
  // From the origin: a page opened as http://user:password@host/ may not fetch relative URLs.
  const response = await fetch(window.location.origin + path,
    Object.assign({ headers: { 'Content-Type': 'application/json' } }, options));
  if (!response.ok) {
    let message = 'The service answered ' + response.status + '.';
    try { message = (await response.json()).msg; } catch (e) { /* not JSON */ }
    throw new ApiError(response.status, message);
  }
  return response;
}

export async function api(path, options) {
  const response = await request(path, options);
  return response.status === 204 ? null : response.json();
}

/** The stats path of a campaign (or of all, without an id) over a range. */
export function statsPath(id, range) {
  return '/admin/' + (id ? 'campaigns/' + id + '/' : '') + 'stats?interval=' + range.interval
    + '&from=' + encodeURIComponent(range.from.toISOString()) + '&to=' + encodeURIComponent(range.to.toISOString());
}
