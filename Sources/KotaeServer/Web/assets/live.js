// Live updates: hub events from /api/v1/stream re-fetch the parts of the page they change.
// Other modules listen for `kotae:*` events on document and send with `sendLive`.
import { strings, refresh, me, busy } from "/assets/core.js";

let pending = null;
let socket = null;
/// Coalesces bursts of events into one refresh.
function soon(ids) {
  if (pending) return;
  let done;
  busy(() => new Promise((resolve) => { done = resolve; }));
  pending = setTimeout(async () => { pending = null; await refresh(ids, { live: true }); done(); }, 60);
}

export function sendLive(frame) {
  if (socket?.readyState === WebSocket.OPEN) socket.send(JSON.stringify(frame));
}

const emit = (name, detail) => document.dispatchEvent(new CustomEvent(name, { detail }));

export function startLive() {
  const state = document.getElementById("live-state");
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/stream`;
  socket = new WebSocket(url);
  socket.addEventListener("open", () => {
    if (state) { state.textContent = strings.live; state.dataset.state = "live"; }
    emit("kotae:connected");
  });
  socket.addEventListener("close", () => {
    if (state) { state.textContent = strings.offline; state.dataset.state = "offline"; }
    setTimeout(startLive, 2000);
  });
  socket.addEventListener("message", (frame) => {
    const event = JSON.parse(frame.data);
    if (event.type === "hello") return;
    if (event.type === "notification.created") {
      if (event.userId === me) emit("kotae:notification", event);
      return;
    }
    if (event.type === "message.created" && event.userId === me) emit("kotae:mine", event);
    const conversation = document.getElementById("conversation");
    if (conversation) {
      if (String(event.conversationId) !== conversation.dataset.id) return;
      if (event.type === "presence") { emit("kotae:presence", event.presence); return; }
      if (event.type === "message.created") emit("kotae:message", event);
      soon(["timeline", "thread-head", "conversation-controls", "customer"]);
    } else if (document.getElementById("conversation-list") && event.type !== "presence") {
      soon(["conversation-list", "views"]);
    }
  });
}
