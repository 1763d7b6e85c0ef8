// The composer: reply or private note, Ctrl/⌘+Enter to send, "/" for canned responses,
// a warning before a second answer when a colleague replied meanwhile, a few seconds to undo.
import { api, refresh, strings } from "/assets/core.js";

const undoSeconds = 4;

// A colleague's message arriving while a draft is open: warn before a second answer.
// One listener for the page; each composer installation reads and resets the flag.
let colleagueWrote = false;
document.addEventListener("kotae:message", () => {
  if (document.getElementById("composer-text")?.value.trim()) colleagueWrote = true;
});

export function installComposer(conversationId) {
  const form = document.getElementById("composer");
  if (!form || form.dataset.installed) return;
  form.dataset.installed = "1";
  const text = document.getElementById("composer-text");
  const status = document.getElementById("composer-status");
  const suggestions = document.getElementById("canned-suggestions");
  colleagueWrote = false;
  let canned = null;

  const setMode = (mode) => {
    form.dataset.mode = mode;
    document.getElementById("tab-reply").setAttribute("aria-selected", String(mode === "reply"));
    document.getElementById("tab-note").setAttribute("aria-selected", String(mode === "note"));
    text.placeholder = mode === "reply" ? text.dataset.replyPlaceholder : text.dataset.notePlaceholder;
  };
  document.getElementById("tab-reply").addEventListener("click", () => setMode("reply"));
  document.getElementById("tab-note").addEventListener("click", () => setMode("note"));

  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
  });

  text.addEventListener("input", async () => {
    const match = /(?:^|\s)\/(\S*)$/.exec(text.value);
    if (!match) { suggestions.hidden = true; return; }
    canned ??= (await api("GET", "/api/v1/canned-responses")).cannedResponses ?? [];
    const wanted = match[1].toLowerCase();
    const hits = canned.filter((c) => c.shortcut.toLowerCase().includes(wanted) || c.title.toLowerCase().includes(wanted)).slice(0, 8);
    suggestions.replaceChildren(...hits.map((c) => {
      const li = document.createElement("li");
      li.setAttribute("role", "option");
      li.tabIndex = 0;
      li.dataset.id = c.id;
      li.textContent = `/${c.shortcut} — ${c.title}`;
      const choose = async () => {
        const rendered = await api("POST", `/api/v1/canned-responses/${c.id}/render`, { conversationId: Number(conversationId) });
        text.value = text.value.slice(0, match.index + (match[0].startsWith("/") ? 0 : 1)) + rendered.text;
        suggestions.hidden = true;
        text.focus();
      };
      li.addEventListener("click", choose);
      li.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); choose(); } });
      return li;
    }));
    suggestions.hidden = hits.length === 0;
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body) return;
    const mode = form.dataset.mode;
    if (mode === "reply" && colleagueWrote && !confirm(strings.doubleReplyWarning)) return;
    // Undo: the reply waits a few seconds in the page before it is sent.
    let cancelled = false;
    const undo = document.createElement("button");
    undo.type = "button";
    undo.id = "undo-send";
    undo.textContent = strings.undo;
    undo.addEventListener("click", () => { cancelled = true; });
    status.replaceChildren(document.createTextNode(strings.sending + " "), undo);
    await new Promise((resolve) => setTimeout(resolve, mode === "reply" ? undoSeconds * 1000 : 0));
    if (cancelled) { status.textContent = ""; return; }
    status.textContent = strings.sending;
    try {
      await api("POST", `/api/v1/conversations/${conversationId}/${mode === "reply" ? "reply" : "notes"}`, { text: body });
      text.value = "";
      colleagueWrote = false;
      document.dispatchEvent(new CustomEvent("kotae:sent"));
      status.textContent = "";
      await refresh(["timeline", "status-text"]);
    } catch (error) {
      status.textContent = error.message;
    }
  });
}
