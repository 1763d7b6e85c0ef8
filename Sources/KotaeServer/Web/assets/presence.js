// "Someone else is viewing / replying" on a conversation page (see PresenceNote.swift).
import { me, strings } from "/assets/core.js";
import { sendLive } from "/assets/live.js";

const forgetAfter = 70_000;
const repeatEvery = 30_000;

export function installPresence() {
  const root = document.getElementById("conversation");
  if (!root) return;
  const conversationId = Number(root.dataset.id);
  const others = new Map(); // connection → { name, state, seen }
  let myState = "viewing";

  const announce = (join) => sendLive({ type: "presence", conversationId, state: myState, join });

  // Looked up each time: a live refresh replaces the header it sits in.
  const render = () => {
    const badge = document.getElementById("presence");
    if (!badge) return;
    const now = Date.now();
    for (const [key, o] of others) if (now - o.seen > forgetAfter) others.delete(key);
    const byName = new Map();
    for (const o of others.values()) if (byName.get(o.name) !== "replying") byName.set(o.name, o.state);
    const replying = [...byName].filter(([, s]) => s === "replying").map(([n]) => n);
    const viewing = [...byName].filter(([, s]) => s === "viewing").map(([n]) => n);
    const parts = [];
    if (replying.length) parts.push(strings.isReplying.replace("{names}", replying.join(", ")));
    if (viewing.length) parts.push(strings.isViewing.replace("{names}", viewing.join(", ")));
    badge.textContent = parts.join(" · ");
    badge.hidden = parts.length === 0;
    badge.dataset.state = replying.length ? "replying" : "viewing";
  };

  document.addEventListener("kotae:connected", () => announce(true));
  document.addEventListener("kotae:refreshed", () => render());
  document.addEventListener("kotae:presence", ({ detail: p }) => {
    if (!p || p.userId === me) return;
    if (p.state === "left") others.delete(p.connection);
    else others.set(p.connection, { name: p.userName, state: p.state, seen: Date.now() });
    if (p.join) announce(false);
    render();
  });
  // Writing a reply (not a note) tells colleagues; an empty or sent draft goes back to viewing.
  document.addEventListener("input", (event) => {
    if (event.target.id !== "composer-text") return;
    const form = document.getElementById("composer");
    const next = event.target.value.trim() && form?.dataset.mode === "reply" ? "replying" : "viewing";
    if (next !== myState) { myState = next; announce(false); }
  });
  document.addEventListener("kotae:sent", () => { myState = "viewing"; announce(false); });
  setInterval(() => { announce(false); render(); }, repeatEvery);
}
