// The live event stream (/admin/events): click deltas and campaign changes, handed to the parts of
// the page that show them; a dropped connection is announced, and the numbers read again when it is back.
import { connection } from './feedback.js';
import { time } from './format.js';

const handlers = { clicks: [], campaign: [], conversion: [], reconnect: [], lost: [] };
let lastHeard = new Date();
let opened = () => {};
let everOpened = false;
/** The page's first reads went ahead without the stream: its first opening is then a reconnection. */
let readWithoutStream = false;
/** Settled once the stream is open (or has failed to open for 3 s: the page then reads without it). */
const ready = new Promise(resolve => {
  opened = resolve;
  setTimeout(() => {
    if (!everOpened) readWithoutStream = true;
    resolve();
  }, 3000);
});

/**
 * Registers fn for 'clicks' (fn(delta, flush): one delta per campaign, and the flush's position,
 * {journal, seq}, or null from a version that tells none), 'campaign' (a change), 'conversion' (one
 * counted, with its campaign's totals then), 'lost' (the
 * stream dropped: the numbers are a snapshot) or 'reconnect' (back: read the numbers again).
 */
export function on(kind, fn) {
  handlers[kind].push(fn);
}

function emit(kind, ...values) {
  handlers[kind].forEach(fn => {
    try { fn(...values); } catch (e) { console.warn('live ' + kind, e); }
  });
}

/**
 * Opens the stream; the promise settles once it is open, so that a read made after it misses no
 * flush applied in between (see applied.js for those heard while it is on its way). One stream at
 * a time: opening again closes the one before and any retry still pending.
 */
export function connect() {
  let dropped = false;
  let events = null;
  let retry = null;
  const close = () => {
    clearTimeout(retry);
    if (events) events.close();
  };
  const open = () => {
    close();
    events = new EventSource(window.location.origin + '/admin/events');
    events.addEventListener('open', () => {
      lastHeard = new Date();
      const first = !everOpened;
      everOpened = true;
      opened();
      if (dropped || (first && readWithoutStream)) {
        // Deltas sent while the stream was not open are missed: every part reads its numbers again.
        emit('reconnect');
        connection(dropped ? 'back' : 'on');
        dropped = false;
      } else {
        connection('on');
      }
    });
    events.addEventListener('error', () => {
      if (!dropped) {
        dropped = true;
        connection('lost', time(lastHeard));
        emit('lost');
      }
      if (events.readyState === EventSource.CLOSED) {
        // Refused (not a dropped stream): the browser does not retry by itself.
        retry = setTimeout(open, 5000);
      }
    });
    events.addEventListener('clicks', message => {
      lastHeard = new Date();
      const data = JSON.parse(message.data);
      const flush = typeof data.journal === 'string' && Number.isSafeInteger(data.seq) ? { journal: data.journal, seq: data.seq } : null;
      data.campaigns.forEach(delta => emit('clicks', delta, flush));
    });
    events.addEventListener('campaign', message => {
      lastHeard = new Date();
      emit('campaign', JSON.parse(message.data));
    });
    events.addEventListener('conversion', message => {
      lastHeard = new Date();
      emit('conversion', JSON.parse(message.data));
    });
  };
  open();
  // A page left for another (kept in the back/forward cache) gives its stream's connection back:
  // over HTTP/1.1 a browser has six per host, and stale streams would hold them all.
  window.addEventListener('pagehide', close);
  window.addEventListener('pageshow', event => {
    if (event.persisted) {
      dropped = true;
      open();
    }
  });
  return ready;
}
