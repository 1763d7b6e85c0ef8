// Kotae agent UI: small progressive behaviour on server-rendered pages.
// Actions go through the REST API with the session's CSRF token; live changes come from
// the WebSocket stream and re-fetch the part of the page they concern.
import { startLive } from "/assets/live.js";
import { installKeys } from "/assets/keys.js";
import { installComposer } from "/assets/composer.js";
import { installPresence } from "/assets/presence.js";
import { installConversationActions } from "/assets/conversation.js";
import { installNotifications } from "/assets/notifications.js";
import { installForms } from "/assets/forms.js";
import { paintSwatches } from "/assets/swatches.js";

import { api, me } from "/assets/core.js";

const body = document.body;

function formatWaiting(seconds) {
  const minutes = Math.max(0, Math.floor(seconds / 60));
  if (minutes < 60) return `${minutes}m`;
  if (minutes < 48 * 60) return `${Math.floor(minutes / 60)}h ${minutes % 60}m`;
  return `${Math.floor(minutes / 1440)}d ${Math.floor(minutes / 60) % 24}h`;
}

/// Waiting clocks tick in the page without reloading it.
function tickClocks() {
  for (const el of document.querySelectorAll(".waiting[data-since]")) {
    if (!el.dataset.since) continue;
    el.textContent = formatWaiting((Date.now() - Date.parse(el.dataset.since)) / 1000);
  }
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

installLogin();
installHeader();
installConversationActions();
const conversation = document.getElementById("conversation");
if (conversation) installComposer(conversation.dataset.id);
installKeys();
installForms();
installNotifications();
paintSwatches();
document.addEventListener("kotae:refreshed", paintSwatches);
installPresence();
tickClocks();
setInterval(tickClocks, 30_000);
if (me) startLive();
