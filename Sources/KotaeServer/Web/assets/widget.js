// Kotae's chat widget: one <script async> on the shop's site, no dependencies.
//   <script>window.Kotae=window.Kotae||function(){(Kotae.q=Kotae.q||[]).push(arguments)}</script>
//   <script async src="https://desk.example/assets/widget.js" data-inbox="3"></script>
// Every message has a client id (cid) and waits in an outbox in localStorage until the server
// acknowledges it, so a message sent as the connection drops is sent again and stored once.
// After a reconnect the widget says the newest message it has and receives what came since.
(() => {
  "use strict";
  const script = document.currentScript || document.querySelector("script[data-inbox][src*='widget.js']");
  if (!script || window.__kotaeWidget) return;
  window.__kotaeWidget = true;
  const base = new URL(script.src).origin;
  const inbox = script.dataset.inbox;
  const storeKey = "kotae:" + inbox;
  const words = {
    ja: {
      title: "チャット", open: "チャットを開く", close: "閉じる", back: "戻る", newChat: "新しく質問する", send: "送信",
      placeholder: "メッセージを入力", attach: "画像を添付", search: "よくある質問を検索", noResults: "見つかりませんでした",
      conversations: "これまでの会話", typing: "入力中…", seen: "既読", sending: "送信中…", failed: "送れませんでした。接続が戻ると再送します",
      reply: "通常 {t} 以内に返信します（過去28日の実績）", replyUnknown: "担当者が順番に返信します",
      closed: "ただいま営業時間外です。次の受付は {t} からです", away: "ただいま担当者が不在です",
      askEmail: "返信をメールでも受け取れます。メールアドレスを教えてください（ここで読まれなかった返信だけを送ります）",
      emailSave: "登録", emailSaved: "返信は {e} にもお送りします", emailBad: "メールアドレスを確認してください",
      offline: "接続が切れました。再接続しています…", tooMany: "送信が多すぎます。少し待って再送します", tooLong: "長すぎます（5,000文字まで）",
      identityRefused: "お客さまの確認ができなかったため、チャットを始められません", bot: "自動応答",
    },
    en: {
      title: "Chat", open: "Open chat", close: "Close", back: "Back", newChat: "Ask a new question", send: "Send",
      placeholder: "Type a message", attach: "Attach a picture", search: "Search the FAQ", noResults: "Nothing found",
      conversations: "Your conversations", typing: "Typing…", seen: "Seen", sending: "Sending…", failed: "Not sent yet; it will be sent when the connection is back",
      reply: "We usually reply within {t} (measured over 28 days)", replyUnknown: "A person will reply in turn",
      closed: "We are closed now; we open again {t}", away: "Nobody is at the desk right now",
      askEmail: "Get the reply by email too? Leave your address (only replies you have not read here are sent)",
      emailSave: "Save", emailSaved: "Replies also go to {e}", emailBad: "Please check the address",
      offline: "Connection lost. Reconnecting…", tooMany: "Too many messages; sending again shortly", tooLong: "Too long (5,000 characters at most)",
      identityRefused: "We could not confirm who you are, so the chat cannot start", bot: "Automatic answer",
    },
  };
  let locale = pickLocale(script.dataset.locale || document.documentElement.lang);
  const t = (k, v = {}) => words[locale][k].replace(/\{(\w)\}/g, (_, x) => v[x] ?? "");
  function pickLocale(l) { return (l || "").toLowerCase().startsWith("en") ? "en" : "ja"; }

  // State: threads by name, each with its messages by id; the outbox of unacknowledged messages.
  const saved = read();
  const state = {
    token: saved.token || null, user: null, since: 0, threads: new Map(), outbox: saved.outbox || [], current: null,
    open: false, email: null, availability: null, upload: null, typing: new Map(), seen: new Set(), lastRead: saved.lastRead || {}, refused: false,
  };
  const listeners = {};
  // Messages still unacknowledged when the page was left are shown, and sent again on connecting.
  for (const m of state.outbox) thread(m.thread).pending.set(m.cid, { cid: m.cid, text: m.text, files: [], at: new Date().toISOString(), from: "visitor" });
  function read() { try { return JSON.parse(localStorage.getItem(storeKey)) || {}; } catch { return {}; } }
  function persist() {
    try { localStorage.setItem(storeKey, JSON.stringify({ token: state.token, outbox: state.outbox, lastRead: state.lastRead })); } catch {}
  }
  function emit(name, detail) { for (const fn of listeners[name] || []) { try { fn(detail); } catch (e) { console.error(e); } } }
  const cid = () => (crypto.randomUUID ? crypto.randomUUID() : String(Date.now()) + Math.random().toString(16).slice(2)).replace(/-/g, "");

  // ---- the socket -------------------------------------------------------------------------
  let socket = null, retry = 0, helloed = false;
  function connect() {
    if (state.refused) return;
    socket = new WebSocket(base.replace(/^http/, "ws") + "/chat/socket?inbox=" + encodeURIComponent(inbox));
    helloed = false;
    socket.onopen = () => {
      retry = 0;
      socket.send(JSON.stringify({
        t: "hello", token: state.user ? undefined : state.token, user: state.user || undefined, since: state.since, locale,
        page: { url: location.href, title: document.title },
      }));
    };
    socket.onmessage = (e) => { try { receive(JSON.parse(e.data)); } catch (err) { console.error(err); } };
    socket.onclose = () => {
      helloed = false;
      render();
      if (state.refused) return;
      retry = Math.min(retry + 1, 6);
      setTimeout(connect, Math.min(15000, 500 * 2 ** retry) * (0.75 + Math.random() / 2));
    };
  }
  const live = () => socket && socket.readyState === 1 && helloed;
  function up(frame) { if (live()) socket.send(JSON.stringify(frame)); }

  function receive(f) {
    switch (f.t) {
      case "welcome":
        helloed = true;
        if (f.token) state.token = f.token;
        state.upload = f.upload; state.availability = f.availability; state.email = f.email || null;
        for (const th of f.threads) thread(th.thread).info = th;
        // A visitor coming back lands in their newest open conversation.
        if (!state.current) state.current = f.threads.find((th) => th.open)?.thread || null;
        persist();
        flush();
        emit("ready", {});
        break;
      case "message": add(f.message); break;
      case "ack": {
        state.outbox = state.outbox.filter((m) => m.cid !== f.cid);
        persist();
        const th = thread(f.thread);
        const pending = th.pending.get(f.cid);
        // Shown as stored until the server's own copy (with Kotae's links to its pictures) arrives.
        if (pending) { th.pending.delete(f.cid); if (!th.messages.has(f.id)) th.messages.set(f.id, { ...pending, id: f.id, from: "visitor", local: true }); }
        break;
      }
      case "typing": state.typing.set(f.thread, Date.now()); setTimeout(render, 6000); break;
      case "seen": state.seen.add(f.thread); break;
      case "askEmail": thread(f.thread).askEmail = true; break;
      case "email": state.email = f.email; break;
      case "error":
        if (f.code === "identity_refused") { state.refused = "identityRefused"; console.warn("Kotae:", f.detail); }
        if (f.cid) {
          const m = state.outbox.find((o) => o.cid === f.cid);
          if (f.code === "rate_limited" && m) { setTimeout(flush, (f.retryAfter || 5) * 1000); }
          else if (m) { state.outbox = state.outbox.filter((o) => o !== m); persist(); }
          for (const th of state.threads.values()) { const p = th.pending.get(f.cid); if (p) p.error = f.code; }
        }
        break;
    }
    render();
  }

  function thread(name) {
    let th = state.threads.get(name);
    if (!th) { th = { name, messages: new Map(), pending: new Map(), info: null, askEmail: false }; state.threads.set(name, th); }
    return th;
  }
  function add(m) {
    state.since = Math.max(state.since, m.id);
    const th = thread(m.thread);
    const had = th.messages.get(m.id);
    if (had && !had.local) return;
    if (m.cid) th.pending.delete(m.cid);
    th.messages.set(m.id, m);
    if (m.from !== "visitor") {
      state.typing.delete(m.thread);
      th.askEmail = th.askEmail && m.from !== "bot";
      if (!visible(m.thread)) { chime(); }
      emit("message", { text: m.text, from: m.from, thread: m.thread });
    }
    markRead();
  }
  function flush() {
    if (!live()) return;
    for (const m of state.outbox) up({ t: "send", cid: m.cid, thread: m.thread, text: m.text, files: m.files });
  }

  // ---- what the visitor does ----------------------------------------------------------------
  function sendText(text, files = []) {
    text = text.trim();
    if (!text && !files.length) return;
    const id = cid();
    const name = state.current || id;
    state.current = name;
    const m = { cid: id, thread: name, text, files: files.map((f) => f.file) };
    state.outbox.push(m);
    persist();
    thread(name).pending.set(id, { cid: id, text, files: files.map((f) => ({ url: f.preview, type: f.type, name: f.name })), at: new Date().toISOString(), from: "visitor" });
    up({ t: "send", cid: m.cid, thread: m.thread, text: m.text, files: m.files });
    render();
  }
  async function upload(file) {
    const r = await fetch(base + "/chat/files?inbox=" + encodeURIComponent(inbox), {
      method: "POST", body: file, headers: { "Content-Type": file.type, "X-Kotae-Upload": state.upload || "", "X-Kotae-Filename": encodeURIComponent(file.name) },
    });
    if (!r.ok) throw new Error("upload " + r.status);
    const out = await r.json();
    return { ...out, preview: URL.createObjectURL(file) };
  }
  const visible = (name) => state.open && state.current === name && document.visibilityState === "visible";
  function markRead() {
    if (!state.open || !state.current) return;
    const th = state.threads.get(state.current);
    if (!th) return;
    const newest = Math.max(0, ...[...th.messages.values()].filter((m) => m.from !== "visitor").map((m) => m.id));
    if (newest > (state.lastRead[th.name] || 0)) { state.lastRead[th.name] = newest; persist(); up({ t: "read", thread: th.name }); }
  }
  function unread() {
    let n = 0;
    for (const th of state.threads.values())
      for (const m of th.messages.values()) if (m.from !== "visitor" && m.id > (state.lastRead[th.name] || 0)) n++;
    return n;
  }
  let audio;
  function chime() {
    try {
      audio = audio || new AudioContext();
      const o = audio.createOscillator(), g = audio.createGain();
      o.frequency.value = 880; g.gain.value = 0.05;
      o.connect(g).connect(audio.destination); o.start(); o.stop(audio.currentTime + 0.12);
    } catch {}
  }

  // ---- the page -----------------------------------------------------------------------------
  const host = document.createElement("div");
  host.id = "kotae-chat";
  const root = host.attachShadow({ mode: "open" });
  const color = script.dataset.color || "#1f6f5c";
  root.innerHTML = `<style>
:host{all:initial}*{box-sizing:border-box;font-family:system-ui,-apple-system,"Hiragino Sans","Noto Sans JP",sans-serif}
.launch{position:fixed;right:20px;bottom:20px;width:56px;height:56px;border-radius:50%;border:0;background:${color};color:#fff;cursor:pointer;box-shadow:0 4px 14px #0004;z-index:2147483000;display:grid;place-items:center}
.badge{position:absolute;top:-4px;right:-4px;min-width:22px;height:22px;padding:0 6px;border-radius:11px;background:#d93025;color:#fff;font-size:13px;line-height:22px}
.pane{position:fixed;right:20px;bottom:88px;width:370px;height:min(600px,calc(100dvh - 110px));display:flex;flex-direction:column;background:#fff;color:#222;border-radius:14px;box-shadow:0 8px 30px #0005;overflow:hidden;z-index:2147483001;font-size:15px}
.pane[hidden]{display:none}
header{background:${color};color:#fff;padding:12px 14px;display:flex;gap:8px;align-items:center}
header b{flex:1;font-size:16px}header button{background:none;border:0;color:#fff;font-size:15px;cursor:pointer;padding:6px}
.avail{padding:8px 14px;background:#f3f6f5;font-size:13px;color:#444}
.body{flex:1;overflow-y:auto;padding:12px;display:flex;flex-direction:column;gap:8px;overscroll-behavior:contain}
.msg{max-width:82%;padding:8px 11px;border-radius:12px;white-space:pre-wrap;overflow-wrap:anywhere;line-height:1.5}
.visitor{align-self:flex-end;background:${color};color:#fff}.shop,.bot{align-self:flex-start;background:#eef1f0}
.msg small{display:block;font-size:11px;opacity:.75;margin-top:3px}.msg a{color:inherit}.msg img{max-width:100%;border-radius:8px;display:block;margin-top:4px}
.error{background:#fde8e7;color:#8a1c12}.note{font-size:13px;color:#555;text-align:center}
.list button.th{display:block;width:100%;text-align:left;background:#fff;border:1px solid #dde3e1;border-radius:10px;padding:10px;margin-bottom:6px;cursor:pointer;font-size:15px}
.list button.new{width:100%;padding:12px;border:0;border-radius:10px;background:${color};color:#fff;font-size:16px;cursor:pointer;margin-bottom:12px}
form{display:flex;gap:6px;padding:8px;border-top:1px solid #e3e3e3;align-items:flex-end}
textarea,input{flex:1;font-size:16px;padding:9px;border:1px solid #ccd;border-radius:10px;resize:none;min-width:0;line-height:1.4}
textarea{height:42px;overflow:hidden}.list input{width:100%;margin-bottom:6px}
form button{font-size:15px;padding:9px 12px;border:0;border-radius:10px;background:${color};color:#fff;cursor:pointer}
form button.plain{background:#eef1f0;color:#333}.ask{background:#fff8e5;border:1px solid #f0d58a;border-radius:10px;padding:10px;font-size:14px}
.ask form{border:0;padding:6px 0 0}.results a{display:block;padding:6px 0;color:${color}}
@media (max-width:600px){.pane{right:0;bottom:0;width:100%;height:100dvh;border-radius:0}}
</style>
<button class="launch" part="launcher" aria-label=""><svg viewBox="0 0 24 24" width="28" height="28" aria-hidden="true"><path fill="currentColor" d="M4 4h16a2 2 0 0 1 2 2v10a2 2 0 0 1-2 2H9l-5 4v-4a2 2 0 0 1-2-2V6a2 2 0 0 1 2-2z"/></svg><span class="badge" hidden></span></button>
<section class="pane" role="dialog" hidden><header><button class="back" hidden></button><b class="title"></b><button class="close"></button></header>
<div class="avail"></div><div class="body" aria-live="polite"></div>
<form class="composer"><button type="button" class="plain attach"><svg viewBox="0 0 24 24" width="18" height="18" aria-hidden="true"><path fill="none" stroke="currentColor" stroke-width="2" d="M16 7l-7.5 7.5a2 2 0 0 0 3 3L19 10a4 4 0 0 0-6-6l-8 8a6 6 0 0 0 9 9l6-6"/></svg></button><input type="file" accept="image/png,image/jpeg,image/gif,image/webp" hidden>
<textarea rows="1" maxlength="5000"></textarea><button class="send"></button></form></section>`;
  const $ = (s) => root.querySelector(s);
  const el = (tag, cls, text) => { const e = document.createElement(tag); if (cls) e.className = cls; if (text != null) e.textContent = text; return e; };
  const launcher = $(".launch"), pane = $(".pane"), body = $(".body"), composer = $(".composer"), input = $("textarea"), fileInput = $("input[type=file]");

  // Text with its web addresses as links, built as nodes: nothing anyone wrote is parsed as HTML.
  function linked(text) {
    const frag = document.createDocumentFragment();
    let last = 0;
    for (const m of text.matchAll(/https?:\/\/[^\s<>"'）」]+/g)) {
      frag.append(text.slice(last, m.index));
      const a = el("a", null, m[0]); a.href = m[0]; a.target = "_blank"; a.rel = "noopener noreferrer";
      frag.append(a); last = m.index + m[0].length;
    }
    frag.append(text.slice(last));
    return frag;
  }
  const abs = (u) => (u.startsWith("/") ? base + u : u);
  function bubble(m) {
    const b = el("div", "msg " + m.from + (m.error ? " error" : ""));
    b.append(linked(m.text || ""));
    for (const f of m.files || []) {
      if ((f.type || "").startsWith("image/")) { const i = el("img"); i.src = abs(f.url); i.alt = f.name || ""; b.append(i); }
      else { const a = el("a", null, f.name); a.href = abs(f.url); a.target = "_blank"; b.append(a); }
    }
    const small = el("small", null, m.from === "bot" ? t("bot") : new Date(m.at).toLocaleTimeString(locale, { hour: "2-digit", minute: "2-digit" }));
    if (m.id == null) small.textContent = m.error ? (m.error === "too_long" ? t("tooLong") : m.error === "rate_limited" ? t("tooMany") : m.error) : live() ? t("sending") : t("failed");
    b.append(small);
    return b;
  }
  function availability() {
    const a = state.availability;
    if (state.refused) return t(state.refused);
    if (!socket || socket.readyState !== 1) return t("offline");
    if (!a) return "";
    if (!a.open && a.opensAt) return t("closed", { t: new Date(a.opensAt).toLocaleString(locale, { weekday: "short", hour: "2-digit", minute: "2-digit" }) });
    if (!a.online) return t("away");
    return a.replyWords ? t("reply", { t: a.replyWords[locale] }) : t("replyUnknown");
  }

  function render() {
    $(".title").textContent = t("title");
    $(".close").textContent = t("close");
    $(".back").textContent = "‹ " + t("back");
    launcher.setAttribute("aria-label", t("open"));
    $(".send").textContent = t("send");
    $(".attach").title = t("attach");
    input.placeholder = t("placeholder");
    const n = unread(), badge = $(".badge");
    badge.hidden = n === 0; badge.textContent = n;
    $(".avail").textContent = availability();
    pane.hidden = !state.open;
    if (!state.open) return;
    const keepBottom = body.scrollHeight - body.scrollTop - body.clientHeight < 40;
    body.replaceChildren();
    $(".back").hidden = !state.current;
    composer.hidden = false;
    if (!state.current) renderList(); else renderThread(state.threads.get(state.current));
    if (keepBottom || state.current) body.scrollTop = body.scrollHeight;
  }
  function renderList() {
    const box = el("div", "list");
    const fresh = el("button", "new", t("newChat"));
    fresh.onclick = () => { state.current = null; composer.hidden = false; input.focus(); };
    box.append(fresh);
    const search = el("input"); search.type = "search"; search.placeholder = t("search"); search.value = lastQuery;
    const results = el("div", "results");
    search.oninput = () => findHelp(search.value, results);
    box.append(search, results);
    if (lastQuery) findHelp(lastQuery, results);
    const threads = [...state.threads.values()].filter((th) => th.messages.size || th.pending.size);
    if (threads.length) box.append(el("p", "note", t("conversations")));
    threads.sort((a, b) => newest(b) - newest(a));
    for (const th of threads) {
      const last = [...th.messages.values(), ...th.pending.values()].pop();
      const b = el("button", "th", (last?.text || last?.files?.[0]?.name || "").slice(0, 60));
      b.onclick = () => { state.current = th.name; render(); markRead(); };
      box.append(b);
    }
    body.append(box);
  }
  const newest = (th) => Math.max(0, ...[...th.messages.keys()]);
  function renderThread(th) {
    if (!th) return;
    const all = [...th.messages.values()].sort((a, b) => a.id - b.id);
    for (const m of all) body.append(bubble(m));
    for (const m of th.pending.values()) body.append(bubble(m));
    const lastVisitor = all.filter((m) => m.from === "visitor").pop();
    if (lastVisitor && state.seen.has(th.name) && !all.some((m) => m.id > lastVisitor.id && m.from !== "visitor")) body.append(el("p", "note", t("seen")));
    if (Date.now() - (state.typing.get(th.name) || 0) < 6000) body.append(el("p", "note", t("typing")));
    if (th.askEmail && !state.email) body.append(askEmail());
    else if (th.askEmail && state.email) body.append(el("p", "note", t("emailSaved", { e: state.email })));
  }
  function askEmail() {
    const box = el("div", "ask", t("askEmail"));
    const f = el("form"), i = el("input"), b = el("button", null, t("emailSave"));
    i.type = "email"; i.autocomplete = "email";
    f.append(i, b);
    f.onsubmit = (e) => {
      e.preventDefault();
      if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(i.value.trim())) { i.setCustomValidity(t("emailBad")); i.reportValidity(); return; }
      up({ t: "email", email: i.value.trim() });
    };
    box.append(f);
    return box;
  }
  let lastQuery = "", searchTimer;
  function findHelp(q, out) {
    lastQuery = q;
    clearTimeout(searchTimer);
    searchTimer = setTimeout(async () => {
      if (!q.trim()) { out.replaceChildren(); return; }
      try {
        const r = await fetch(base + "/chat/help?inbox=" + encodeURIComponent(inbox) + "&locale=" + locale + "&q=" + encodeURIComponent(q));
        const found = r.ok ? await r.json() : [];
        out.replaceChildren(...(found.length ? found.map((a) => { const l = el("a", null, a.title); l.href = base + a.url; l.target = "_blank"; return l; }) : [el("p", "note", t("noResults"))]));
      } catch {}
    }, 250);
  }

  // ---- wiring -------------------------------------------------------------------------------
  let typingSent = 0;
  composer.onsubmit = (e) => { e.preventDefault(); sendText(input.value); input.value = ""; up({ t: "typing", thread: state.current, text: "" }); };
  input.onkeydown = (e) => { if (e.key === "Enter" && !e.shiftKey && !e.isComposing) { e.preventDefault(); composer.requestSubmit(); } };
  input.oninput = () => {
    if (state.current && Date.now() - typingSent > 2000) { typingSent = Date.now(); up({ t: "typing", thread: state.current, text: input.value ? "1" : "" }); }
  };
  $(".attach").onclick = () => fileInput.click();
  fileInput.onchange = async () => {
    const files = [...fileInput.files].slice(0, 4);
    fileInput.value = "";
    try { sendText(input.value, await Promise.all(files.map(upload))); input.value = ""; } catch (e) { console.warn("Kotae:", e); }
  };
  launcher.onclick = () => (state.open ? api.close() : api.open());
  $(".close").onclick = () => api.close();
  $(".back").onclick = () => { state.current = null; render(); };
  // The on-screen keyboard shrinks the visual viewport: the pane follows it, so the input stays in view.
  if (window.visualViewport) {
    const fit = () => {
      if (window.innerWidth > 600) { pane.style.height = ""; return; }
      pane.style.height = visualViewport.height + "px";
      pane.style.top = visualViewport.offsetTop + "px";
    };
    visualViewport.addEventListener("resize", fit);
    visualViewport.addEventListener("scroll", fit);
  }
  document.addEventListener("visibilitychange", markRead);

  // ---- the page's API (calls made before this script loaded wait in Kotae.q) ----------------
  const api = {
    open() { state.open = true; render(); markRead(); emit("open", {}); },
    close() { state.open = false; render(); emit("close", {}); },
    setUser(user) { state.user = user; state.since = 0; state.threads.clear(); if (socket) socket.close(); },
    setLocale(l) { locale = pickLocale(l); render(); },
    on(name, fn) { (listeners[name] = listeners[name] || []).push(fn); },
    unread,
  };
  const queued = (window.Kotae && window.Kotae.q) || [];
  window.Kotae = Object.assign((name, ...args) => api[name]?.(...args), api);
  const start = () => {
    document.body.append(host);
    for (const [name, ...args] of queued) api[name]?.(...args);
    render();
    connect();
  };
  if (document.body) start(); else document.addEventListener("DOMContentLoaded", start);
})();
