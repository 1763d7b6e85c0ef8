// The composer: reply or private note, Ctrl/⌘+Enter to send, "/" for canned responses,
// "@" to mention a colleague in a note, pasted screenshots and picked files as attachments,
// public or private reply on a public comment, a warning before a second answer when a
// colleague replied meanwhile, the reply checker's warnings (each overridable with one click,
// a forbidden word not), and a few seconds to undo.
import { api, refresh, strings } from "/assets/core.js";

const undoSeconds = 4;
const maxFileBytes = 15 * 1024 * 1024; // as AttachmentInput.maxBytes

// A colleague's message arriving while a draft is open: warn before a second answer.
// One listener for the page; each composer installation reads and resets the flag.
let colleagueWrote = false;
document.addEventListener("kotae:message", () => {
  if (document.getElementById("composer-text")?.value.trim()) colleagueWrote = true;
});

function readBase64(file) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).split(",", 2)[1] ?? "");
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/// A suggestion list under the textarea (canned responses, colleagues).
function fillSuggestions(list, items, label, choose) {
  list.replaceChildren(...items.map((item) => {
    const li = document.createElement("li");
    li.setAttribute("role", "option");
    li.tabIndex = 0;
    li.textContent = label(item);
    li.addEventListener("click", () => choose(item));
    li.addEventListener("keydown", (e) => { if (e.key === "Enter") { e.preventDefault(); choose(item); } });
    return li;
  }));
  list.hidden = items.length === 0;
}

// X counts characters by weight: most of Latin and symbols 1, CJK and everything else 2,
// a URL 23 whatever its length (twitter-text's "weighted length"); 280 at most.
const lightRanges = [[0, 4351], [8192, 8205], [8208, 8223], [8242, 8247]];
export function xWeightedLength(text) {
  let total = 0;
  const rest = text.replace(/https?:\/\/\S+/g, () => { total += 23; return ""; });
  for (const ch of rest) {
    const cp = ch.codePointAt(0);
    total += lightRanges.some(([a, b]) => cp >= a && cp <= b) ? 1 : 2;
  }
  return total;
}

/// The reply checker's warnings for a draft, shown above the send button. Resolves true when
/// the draft may go as it is: no warning, or the agent chose "Send anyway" for this very text.
function checkReply(conversationId, panel, text, files) {
  if (panel.dataset.accepted === text) return Promise.resolve(true);
  return api("POST", `/api/v1/conversations/${conversationId}/reply-check`, { text, attachments: files.length })
    .catch(() => ({ issues: [] })) // the server checks again when the reply is sent
    .then(({ issues }) => {
      if (issues.length === 0) return true;
      const title = document.createElement("p");
      title.id = "reply-check-title";
      title.className = "title";
      title.textContent = strings.rc_title;
      const list = document.createElement("ul");
      list.replaceChildren(...issues.map((issue) => {
        const li = document.createElement("li");
        li.dataset.kind = issue.kind;
        li.textContent = issue.message;
        return li;
      }));
      const blocked = issues.some((issue) => issue.blocks);
      const actions = document.createElement("p");
      actions.className = "actions";
      if (blocked) {
        actions.textContent = strings.rc_blockedHint;
      } else {
        const anyway = document.createElement("button");
        anyway.type = "button";
        anyway.id = "send-anyway";
        anyway.textContent = strings.rc_sendAnyway;
        anyway.addEventListener("click", () => {
          panel.dataset.accepted = text;
          panel.hidden = true;
          document.getElementById("composer").requestSubmit();
        });
        actions.append(anyway);
      }
      panel.replaceChildren(title, list, actions);
      panel.hidden = false;
      return false;
    });
}

export function installComposer(conversationId) {
  const form = document.getElementById("composer");
  if (!form || form.dataset.installed) return;
  form.dataset.installed = "1";
  const text = document.getElementById("composer-text");
  const status = document.getElementById("composer-status");
  const cannedList = document.getElementById("canned-suggestions");
  const mentionList = document.getElementById("mention-suggestions");
  const fileList = document.getElementById("composer-files");
  const mentionable = JSON.parse(form.dataset.mentionable || "[]");
  colleagueWrote = false;
  let canned = null;
  let files = [];      // { filename, contentType, dataBase64 }
  let mentioned = new Map(); // name → id, kept only while "@name" stays in the text

  const setMode = (mode) => {
    form.dataset.mode = mode;
    // A conversation that cannot be answered here still takes notes.
    document.getElementById("send").disabled = mode === "reply" && form.dataset.cannotReply === "true";
    document.getElementById("tab-reply").setAttribute("aria-selected", String(mode === "reply"));
    document.getElementById("tab-note").setAttribute("aria-selected", String(mode === "note"));
    text.placeholder = mode === "reply" ? text.dataset.replyPlaceholder : text.dataset.notePlaceholder;
    const visibility = document.getElementById("reply-visibility");
    if (visibility) visibility.hidden = mode !== "reply";
  };
  document.getElementById("tab-reply").addEventListener("click", () => setMode("reply"));
  document.getElementById("tab-note").addEventListener("click", () => setMode("note"));
  setMode(form.dataset.mode);

  text.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) { event.preventDefault(); form.requestSubmit(); }
  });

  const showFiles = () => {
    fileList.replaceChildren(...files.map((f, i) => {
      const li = document.createElement("li");
      li.textContent = `${f.filename} `;
      const remove = document.createElement("button");
      remove.type = "button";
      remove.className = "quiet";
      remove.textContent = "×";
      remove.setAttribute("aria-label", `${strings.removeFile}: ${f.filename}`);
      remove.addEventListener("click", () => { files.splice(i, 1); showFiles(); });
      li.append(remove);
      return li;
    }));
  };
  const addFiles = async (list) => {
    for (const file of list) {
      if (file.size > maxFileBytes) { status.textContent = strings.fileTooLarge.replace("{name}", file.name); continue; }
      const stamp = new Date().toISOString().replace(/[:.]/g, "-");
      const filename = file.name && file.name !== "image.png" ? file.name : `screenshot-${stamp}.png`;
      files.push({ filename, contentType: file.type || "application/octet-stream", dataBase64: await readBase64(file) });
    }
    showFiles();
  };
  // A screenshot pasted from the clipboard arrives as a file item.
  text.addEventListener("paste", (event) => {
    const pasted = [...(event.clipboardData?.files ?? [])];
    if (pasted.length === 0) return;
    event.preventDefault();
    addFiles(pasted);
  });
  document.getElementById("composer-file").addEventListener("change", (event) => {
    addFiles([...event.target.files]);
    event.target.value = "";
  });

  // A warning is about the text it was given: an edit asks again.
  const checkPanel = document.getElementById("reply-check");
  text.addEventListener("input", () => { checkPanel.hidden = true; delete checkPanel.dataset.accepted; });

  const counter = document.getElementById("composer-count");
  const isX = document.getElementById("conversation")?.dataset.channel === "x";
  const count = () => {
    if (!isX || !counter) return;
    const n = xWeightedLength(text.value);
    counter.hidden = form.dataset.mode !== "reply";
    counter.textContent = `${n}/280`;
    counter.classList.toggle("over", n > 280);
  };
  count();
  text.addEventListener("input", count);
  document.getElementById("tab-note").addEventListener("click", count);
  document.getElementById("tab-reply").addEventListener("click", count);

  text.addEventListener("input", async () => {
    const before = text.value.slice(0, text.selectionStart);
    const at = form.dataset.mode === "note" ? /(?:^|\s)@([^\s@]*)$/.exec(before) : null;
    if (at) {
      const wanted = at[1].toLowerCase();
      fillSuggestions(mentionList, mentionable.filter((u) => u.name.toLowerCase().includes(wanted)).slice(0, 8),
        (u) => `@${u.name}`, (u) => {
          const start = before.length - at[1].length - 1;
          text.value = text.value.slice(0, start) + `@${u.name} ` + text.value.slice(text.selectionStart);
          mentioned.set(u.name, u.id);
          mentionList.hidden = true;
          text.focus();
        });
    } else {
      mentionList.hidden = true;
    }
    const slash = /(?:^|\s)\/(\S*)$/.exec(text.value);
    if (!slash) { cannedList.hidden = true; return; }
    canned ??= (await api("GET", "/api/v1/canned-responses")).cannedResponses ?? [];
    const wanted = slash[1].toLowerCase();
    const hits = canned.filter((c) => c.shortcut.toLowerCase().includes(wanted) || c.title.toLowerCase().includes(wanted)).slice(0, 8);
    fillSuggestions(cannedList, hits, (c) => `/${c.shortcut} — ${c.title}`, async (c) => {
      const rendered = await api("POST", `/api/v1/canned-responses/${c.id}/render`, { conversationId: Number(conversationId) });
      text.value = text.value.slice(0, slash.index + (slash[0].startsWith("/") ? 0 : 1)) + rendered.text;
      cannedList.hidden = true;
      text.focus();
    });
  });

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = text.value.trim();
    if (!body && files.length === 0) return;
    const mode = form.dataset.mode;
    // Ctrl+Enter as well as the button: a reply that cannot go is not queued to fail.
    if (mode === "reply" && form.dataset.cannotReply === "true") { document.getElementById("cannot-reply")?.focus(); return; }
    if (mode === "reply" && colleagueWrote && !confirm(strings.doubleReplyWarning)) return;
    if (mode === "reply" && !(await checkReply(conversationId, checkPanel, body, files))) return;
    const payload = { text: body, attachments: files };
    if (mode === "note") payload.mentions = [...mentioned].filter(([name]) => body.includes(`@${name}`)).map(([, id]) => id);
    const visibility = form.querySelector('input[name="visibility"]:checked');
    if (mode === "reply" && visibility) payload.private = visibility.value === "private";
    // In a public thread: the comment this answers (each unanswered comment needs its own).
    const replyTo = document.getElementById("reply-to");
    if (mode === "reply" && replyTo) payload.replyTo = Number(replyTo.value);
    // An email reply: more people to copy (comma- or space-separated).
    const cc = document.getElementById("reply-cc");
    if (mode === "reply" && cc && cc.value.trim()) payload.cc = cc.value.split(/[\s,、]+/).filter(Boolean);
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
      await api("POST", `/api/v1/conversations/${conversationId}/${mode === "reply" ? "reply" : "notes"}`, payload);
      text.value = "";
      delete checkPanel.dataset.accepted;
      if (cc) cc.value = "";
      files = [];
      mentioned = new Map();
      showFiles();
      colleagueWrote = false;
      status.textContent = "";
      document.dispatchEvent(new CustomEvent("kotae:sent"));
      await refresh(["timeline", "thread-head"]);
    } catch (error) {
      status.textContent = error.message;
    }
  });
}
