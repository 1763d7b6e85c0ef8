// Kotae agent UI: small progressive behaviour on server-rendered pages.
// Actions go through the REST API with the session's CSRF token; live changes come from
// the WebSocket stream and re-fetch the part of the page they concern.
import { startLive } from "/assets/live.js";
import { installKeys } from "/assets/keys.js";
import { installComposer } from "/assets/composer.js";
import { installPresence } from "/assets/presence.js";
import { installConversationActions } from "/assets/conversation.js";
import { loadOrders } from "/assets/orders.js";
import { installNotifications } from "/assets/notifications.js";
import { installForms } from "/assets/forms.js";
import { paintSwatches } from "/assets/swatches.js";
import { installAutomation } from "/assets/automation.js";

import { api, me, strings, refresh } from "/assets/core.js";

const body = document.body;

/// 「1日2時間」 / "1d 2h": the two largest units, in the words the server uses too.
function formatDuration(seconds) {
  const minutes = Math.max(0, Math.floor(seconds / 60));
  const d = Math.floor(minutes / 1440), h = Math.floor(minutes / 60) % 24, m = minutes % 60;
  const key = d > 0 ? (h === 0 ? "dur_d" : "dur_dh") : minutes >= 60 ? (m === 0 ? "dur_h" : "dur_hm") : "dur_m";
  return (strings[key] ?? "{d}d {h}h {m}m").replace("{d}", d).replace("{h}", h).replace("{m}", m);
}

const slaWords = { on_track: "onTrack", due_soon: "slaDueSoon", breached: "slaBreached" };

/// Waiting clocks, time left and SLA pills move in the page without reloading it: a
/// conversation turns "due soon" and "breached" when its time comes, not at the next reload.
function tickClocks() {
  const now = Date.now();
  for (const el of document.querySelectorAll(".waiting[data-since]")) {
    if (!el.dataset.since) continue;
    el.textContent = formatDuration((now - Date.parse(el.dataset.since)) / 1000);
  }
  for (const el of document.querySelectorAll(".remaining[data-due]")) {
    if (!el.dataset.due) continue;
    const left = (Date.parse(el.dataset.due) - now) / 1000;
    el.textContent = (left >= 0 ? strings.timeLeft : strings.timeOver).replace("{d}", formatDuration(Math.abs(left)));
  }
  let turned = false;
  for (const el of document.querySelectorAll(".sla[data-due]")) {
    if (!el.dataset.due) continue;
    const state = now >= Date.parse(el.dataset.due) ? "breached"
      : el.dataset.warn && now >= Date.parse(el.dataset.warn) ? "due_soon" : "on_track";
    turned ||= !el.classList.contains(`sla-${state}`);
    el.className = `sla sla-${state}`;
    el.textContent = strings[slaWords[state]];
    const row = el.closest("li.row");
    if (row) row.dataset.sla = state;
  }
  // A row turned due soon or breached: the sidebar's counts follow at once.
  if (turned) refreshCountsNow();
}

/// The sidebar's Due soon / Breached counts depend on the time as much as on events.
function refreshCountsNow() {
  if (document.getElementById("views") && !document.hidden) refresh(["views"], { live: true });
}

function installLogin() {
  const form = document.getElementById("login-form");
  if (!form) return;
  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const error = document.getElementById("login-error");
    error.hidden = true;
    const res = await fetch("/api/v1/auth/login", {
      method: "POST", headers: { "Content-Type": "application/json" }, credentials: "same-origin",
      body: JSON.stringify({ email: form.email.value, password: form.password.value }),
    });
    if (res.ok) { location.href = "/"; return; }
    error.hidden = false;
  });
}

function installHeader() {
  const language = document.getElementById("language");
  if (language) {
    language.value = body.dataset.lang;
    language.addEventListener("change", async () => {
      await api("PATCH", `/api/v1/users/${me}`, { locale: language.value });
      location.reload();
    });
  }
  document.getElementById("sign-out")?.addEventListener("click", async () => {
    await api("POST", "/api/v1/auth/logout");
    location.href = "/login";
  });
  document.getElementById("help-button")?.addEventListener("click", () => document.getElementById("help").showModal());
}

// The inbox's sort and priority filter apply as soon as they are chosen.
document.getElementById("list-order")?.addEventListener("change", (event) => event.currentTarget.submit());

installLogin();
installHeader();
installConversationActions();
const conversation = document.getElementById("conversation");
if (conversation) {
  installComposer(conversation.dataset.id);
  loadOrders(conversation.dataset.id);
}
installKeys();
installForms();
installAutomation();
installNotifications();
paintSwatches();
document.addEventListener("kotae:refreshed", paintSwatches);
installPresence();
tickClocks();
setInterval(tickClocks, 15_000);
setInterval(refreshCountsNow, 60_000);
if (me) startLive();
