// Keyboard: j/k move, Enter open, r reply, n note, e resolve, a assign to me, / search, ? help.
// In a conversation, j/k open the next/previous conversation of the list it was opened
// from, and Esc goes back to that list. The selection survives live updates of the list.
function typing(target) {
  return target.closest("input, textarea, select, [contenteditable]") !== null;
}

function rows() { return [...document.querySelectorAll("#conversation-list li.row")]; }

const listKey = "kotae.list";
let selectedId = null;

/// The inbox remembers its order (and its address) for the conversation page's j/k and Esc.
function rememberList() {
  const ids = rows().map((li) => li.dataset.id);
  sessionStorage.setItem(listKey, JSON.stringify({ href: location.pathname + location.search, ids }));
}

function rememberedList() {
  try { return JSON.parse(sessionStorage.getItem(listKey) || "null"); } catch (_) { return null; }
}

function select(li, focus) {
  rows().forEach((row) => row.classList.remove("selected"));
  li.classList.add("selected");
  selectedId = li.dataset.id;
  if (focus) li.querySelector("a").focus();
}

function move(step) {
  const conversation = document.getElementById("conversation");
  if (conversation) {
    const list = rememberedList();
    const at = list?.ids.indexOf(conversation.dataset.id) ?? -1;
    const next = list?.ids[at + step];
    if (at >= 0 && next) location.href = `/conversations/${next}`;
    return;
  }
  const list = rows();
  if (list.length === 0) return;
  const current = list.findIndex((li) => li.dataset.id === selectedId);
  select(list[Math.min(list.length - 1, Math.max(0, current + step))], true);
}

/// A live refresh replaced the list: the same conversation stays selected (and focused,
/// when the keyboard was on the list).
function restoreSelection() {
  rememberList();
  if (!selectedId) return;
  const li = rows().find((row) => row.dataset.id === selectedId);
  if (li) select(li, document.activeElement === document.body || document.activeElement === null);
}

export function installKeys() {
  if (location.hash === "#search") document.getElementById("search")?.focus();
  if (document.getElementById("conversation-list")) rememberList();
  document.addEventListener("kotae:refreshed", () => { if (document.getElementById("conversation-list")) restoreSelection(); });
  document.addEventListener("keydown", (event) => {
    if (event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape" && document.getElementById("conversation") && !document.querySelector("dialog[open]")) {
      // Out of the composer first; then back to the list.
      if (typing(event.target)) { event.target.blur(); event.preventDefault(); return; }
      location.href = rememberedList()?.href ?? "/";
      event.preventDefault();
      return;
    }
    if (typing(event.target)) return;
    const click = (id) => document.getElementById(id)?.click();
    switch (event.key) {
      case "j": move(1); break;
      case "k": move(-1); break;
      case "Enter": {
        const selected = document.querySelector("#conversation-list li.selected a");
        if (!selected) return;
        selected.click();
        break;
      }
      case "r": click("tab-reply"); document.getElementById("composer-text")?.focus(); break;
      case "n": click("tab-note"); document.getElementById("composer-text")?.focus(); break;
      case "e": click("resolve"); break;
      case "a": click("assign-me"); break;
      case "/": {
        const search = document.getElementById("search");
        if (search) search.focus(); else location.href = "/#search";
        break;
      }
      case "?": document.getElementById("help")?.showModal(); break;
      default: return;
    }
    event.preventDefault();
  });
}
