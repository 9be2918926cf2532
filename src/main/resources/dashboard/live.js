// The live event stream (/admin/events): click deltas and campaign changes, handed to the parts of
// the page that show them; a dropped connection is announced, and the numbers read again when it is back.
import { connection } from './feedback.js';
import { time } from './format.js';

const handlers = { clicks: [], campaign: [], reconnect: [] };
let lastHeard = new Date();
let opened = () => {};
/** Settled once the stream is open (or has failed to open for 3 s: the page then reads without it). */
const ready = new Promise(resolve => {
  opened = resolve;
  setTimeout(resolve, 3000);
});

/**
 * Registers fn for 'clicks' (fn(delta, flush): one delta per campaign, and the flush's position,
 * {journal, seq}, or null from a version that tells none), 'campaign' (a change) or 'reconnect'.
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
 * flush applied in between (see applied.js for those heard while it is on its way).
 */
export function connect() {
  let dropped = false;
  let events = null;
  const open = () => {
    events = new EventSource(window.location.origin + '/admin/events');
    events.addEventListener('open', () => {
      lastHeard = new Date();
      opened();
      if (dropped) {
        // Deltas sent while the stream was down are missed: every part reads its numbers again.
        dropped = false;
        emit('reconnect');
        connection('back');
      } else {
        connection('on');
      }
    });
    events.addEventListener('error', () => {
      if (!dropped) {
        dropped = true;
        connection('lost', time(lastHeard));
      }
      if (events.readyState === EventSource.CLOSED) {
        // Refused (not a dropped stream): the browser does not retry by itself.
        setTimeout(open, 5000);
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
  };
  open();
  // A page left for another (kept in the back/forward cache) gives its stream's connection back:
  // over HTTP/1.1 a browser has six per host, and stale streams would hold them all.
  window.addEventListener('pagehide', () => events.close());
  window.addEventListener('pageshow', event => {
    if (event.persisted) {
      dropped = true;
      open();
    }
  });
  return ready;
}
