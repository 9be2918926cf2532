// The live event stream (/admin/events): click deltas and campaign changes, handed to the parts of
// the page that show them; a dropped connection is announced, and the numbers read again when it is back.
import { connection } from './feedback.js';
import { time } from './format.js';

const handlers = { clicks: [], campaign: [], reconnect: [] };
let lastHeard = new Date();

/** Registers fn for 'clicks' (one delta per campaign), 'campaign' (a change) or 'reconnect'. */
export function on(kind, fn) {
  handlers[kind].push(fn);
}

function emit(kind, value) {
  handlers[kind].forEach(fn => {
    try { fn(value); } catch (e) { console.warn('live ' + kind, e); }
  });
}

export function connect() {
  let dropped = false;
  let events = null;
  const open = () => {
    events = new EventSource(window.location.origin + '/admin/events');
    events.addEventListener('open', () => {
      lastHeard = new Date();
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
      JSON.parse(message.data).campaigns.forEach(delta => emit('clicks', delta));
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
}
