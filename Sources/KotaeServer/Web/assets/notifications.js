// Notifications: the header badge stays current, and, where the agent opted in on the
// account page (per browser, since permission is per browser), a desktop notification and
// a short chime for a mention, an assignment, or a customer writing in a conversation of theirs.
import { api, strings } from "/assets/core.js";

const prefs = {
  get desktop() { return localStorage.getItem("kotae.notify.desktop") === "1"; },
  set desktop(on) { localStorage.setItem("kotae.notify.desktop", on ? "1" : "0"); },
  get sound() { return localStorage.getItem("kotae.notify.sound") === "1"; },
  set sound(on) { localStorage.setItem("kotae.notify.sound", on ? "1" : "0"); },
};

function chime() {
  const audio = new AudioContext();
  const tone = audio.createOscillator();
  const gain = audio.createGain();
  tone.frequency.value = 880;
  gain.gain.setValueAtTime(0.15, audio.currentTime);
  gain.gain.exponentialRampToValueAtTime(0.001, audio.currentTime + 0.4);
  tone.connect(gain).connect(audio.destination);
  tone.start();
  tone.stop(audio.currentTime + 0.4);
  document.body.dataset.chimed = String(Number(document.body.dataset.chimed || 0) + 1);
}

function alertAgent(title, body, href) {
  if (prefs.sound) chime();
  if (prefs.desktop && "Notification" in window && Notification.permission === "granted") {
    const n = new Notification(title, { body, tag: href });
    n.addEventListener("click", () => { window.focus(); location.href = href; });
  }
}

function setBadge(count) {
  const badge = document.getElementById("notification-badge");
  if (!badge) return;
  badge.textContent = count > 99 ? "99+" : String(count);
  badge.hidden = count === 0;
}

export function installNotifications() {
  document.addEventListener("kotae:notification", async () => {
    const { notifications, unread } = await api("GET", "/api/v1/notifications");
    setBadge(unread);
    const latest = notifications[0];
    if (latest) {
      const titles = { mention: strings.mentionedYou, assigned: strings.assignedToYou, send_failed: strings.sendFailedNotice };
      const title = titles[latest.notification.kind] ?? strings.assignedToYou;
      alertAgent(`${title}: ${latest.contactName}`, latest.snippet, `/conversations/${latest.notification.conversationId}`);
    }
    document.dispatchEvent(new CustomEvent("kotae:notifications-changed"));
  });
  document.addEventListener("kotae:mine", ({ detail }) => {
    const open = document.getElementById("conversation")?.dataset.id === String(detail.conversationId);
    if (open && document.hasFocus()) return;
    alertAgent(strings.newMessage, "", `/conversations/${detail.conversationId}`);
  });
  installPreferences();
  document.getElementById("mark-all-read")?.addEventListener("click", async () => {
    await api("POST", "/api/v1/notifications/read", {});
    location.reload();
  });
}

/// The account page's two switches.
function installPreferences() {
  const desktop = document.getElementById("notify-desktop");
  const sound = document.getElementById("notify-sound");
  const state = document.getElementById("notify-state");
  if (!desktop || !sound) return;
  desktop.checked = prefs.desktop;
  sound.checked = prefs.sound;
  const showState = () => {
    if (!("Notification" in window)) state.textContent = strings.notifyUnsupported;
    else if (desktop.checked && Notification.permission === "denied") state.textContent = strings.notifyDenied;
    else state.textContent = "";
  };
  desktop.addEventListener("change", async () => {
    if (desktop.checked && "Notification" in window && Notification.permission === "default") await Notification.requestPermission();
    prefs.desktop = desktop.checked;
    showState();
  });
  sound.addEventListener("change", () => {
    prefs.sound = sound.checked;
    if (sound.checked) chime();
  });
  showState();
}
