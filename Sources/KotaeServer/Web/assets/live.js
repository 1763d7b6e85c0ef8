// Live updates: hub events from /api/v1/stream re-fetch the parts of the page they change.
import { strings, refresh } from "/assets/core.js";

let pending = null;
/// Coalesces bursts of events into one refresh.
function soon(ids) {
  if (pending) return;
  pending = setTimeout(async () => { pending = null; await refresh(ids); }, 60);
}

export function startLive() {
  const state = document.getElementById("live-state");
  const url = `${location.protocol === "https:" ? "wss" : "ws"}://${location.host}/api/v1/stream`;
  const socket = new WebSocket(url);
  socket.addEventListener("open", () => { if (state) { state.textContent = strings.live; state.dataset.state = "live"; } });
  socket.addEventListener("close", () => {
    if (state) { state.textContent = strings.offline; state.dataset.state = "offline"; }
    setTimeout(startLive, 2000);
  });
  socket.addEventListener("message", (frame) => {
    const event = JSON.parse(frame.data);
    if (event.type === "hello") return;
    const conversation = document.getElementById("conversation");
    if (conversation) {
      if (String(event.conversationId) !== conversation.dataset.id) return;
      if (event.type === "message.created") document.dispatchEvent(new CustomEvent("kotae:message", { detail: event }));
      soon(["timeline", "status-text", "assignee-name"]);
    } else if (document.getElementById("conversation-list")) {
      soon(["conversation-list", "views"]);
    }
  });
}
