// The admin JSON API, from the page's origin.
import { positions } from './applied.js';

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.status = status;
  }
}

/** How long an answer may take: a read that never ends would hold the live numbers back (applied.js). */
const TIMEOUT_MS = 20000;

export async function request(path, options) {
  // From the origin: a page opened as http://user:password@host/ may not fetch relative URLs.
  let response;
  try {
    response = await fetch(window.location.origin + path,
      Object.assign({ headers: { 'Content-Type': 'application/json' }, signal: AbortSignal.timeout(TIMEOUT_MS) }, options));
  } catch (e) {
    if (e.name === 'TimeoutError') throw new ApiError(0, 'The service did not answer within ' + TIMEOUT_MS / 1000 + ' s.');
    throw e;
  }
  if (!response.ok) {
    let message = 'The service answered ' + response.status + '.';
    try {
      const body = await response.json();
      if (body && typeof body.msg === 'string' && body.msg.trim()) message = body.msg;
    } catch (e) { /* not JSON: the status says it */ }
    throw new ApiError(response.status, message);
  }
  return response;
}

export async function api(path, options) {
  const response = await request(path, options);
  return response.status === 204 ? null : response.json();
}

/** A read of the counters: its JSON and the flushes it holds (see applied.js). */
export async function counters(path) {
  const response = await request(path);
  return { body: await response.json(), applied: positions(response.headers.get('O7tracker-Applied')), response };
}

/**
 * The stats path of a campaign (or of all, without an id) over a range, narrowed to one value of
 * one dimension by filter ({ by: 'country', value: 'DE' }; hours and days only) if given.
 */
export function statsPath(id, range, filter) {
  return '/admin/' + (id ? 'campaigns/' + id + '/' : '') + 'stats?interval=' + range.interval + rangeQuery(range)
    + (filter ? '&' + filter.by + '=' + encodeURIComponent(filter.value) : '');
}

/** The breakdown path of a campaign (or of all, without an id) by one dimension over a range (whole hours). */
export function breakdownPath(id, by, range, limit) {
  return '/admin/' + (id ? 'campaigns/' + id + '/' : 'stats/') + 'breakdown?by=' + by + '&limit=' + limit + rangeQuery(range);
}

function rangeQuery(range) {
  return '&from=' + encodeURIComponent(range.from.toISOString()) + '&to=' + encodeURIComponent(range.to.toISOString());
}
