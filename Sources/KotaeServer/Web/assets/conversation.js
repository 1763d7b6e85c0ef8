// The conversation page's sidebar: status, assignee, team, priority, labels, snooze,
// no-reply-needed, delivery retry, remote images in a mail, merging contacts.
// Listeners sit on the document: live refreshes replace the controls, not the handlers.
import { api, refresh, me, strings, busy } from "/assets/core.js";

const root = () => document.getElementById("conversation");

function post(path, payload) {
  return busy(async () => {
    try {
      await api("POST", `/api/v1/conversations/${root().dataset.id}/${path}`, payload);
      await refresh(["thread-head", "conversation-controls", "customer", "timeline"]);
    } catch (e) {
      const error = document.getElementById("action-error");
      error.textContent = e.message;
      error.hidden = false;
    }
  });
}

/// Resolving while the customer still waits for an answer needs a reason (no default:
/// one click must not close a real customer as spam); a reply that never arrived is confirmed.
function resolve() {
  const controls = document.getElementById("conversation-controls");
  if (controls.dataset.needsReply === "true" && controls.dataset.sending !== "true") {
    document.getElementById("reason-needed").hidden = false;
    document.getElementById("no-reply-reason").focus();
    return;
  }
  if (controls.dataset.failed === "true" && !confirm(strings.confirmResolveFailed)) return;
  post("status", { status: "resolved" });
}

function resolveWithReason() {
  const reason = document.getElementById("no-reply-reason").value;
  if (!reason) {
    document.getElementById("reason-needed").hidden = false;
    document.getElementById("no-reply-reason").focus();
    return;
  }
  if (document.getElementById("conversation-controls").dataset.failed === "true" && !confirm(strings.confirmResolveFailed)) return;
  post("status", { status: "resolved", reason });
}

const clicks = {
  "resolve": resolve,
  "pending": () => post("status", { status: "pending" }),
  "reopen": () => post("status", { status: "open" }),
  "assign-me": () => post("assign", { assigneeId: me }),
};

const changes = {
  "assignee-select": (el) => post("assign", { assigneeId: el.value ? Number(el.value) : null }),
  "team-select": (el) => post("assign", { teamId: el.value ? Number(el.value) : null }),
  "priority-select": (el) => post("priority", { priority: el.value }),
  "snooze-until": (el) => { document.getElementById("snooze-custom").hidden = el.value !== "custom"; },
};

const submits = {
  "add-label": () => {
    const name = document.getElementById("label-input").value.trim();
    if (name) post("labels", { add: [name] });
  },
  "snooze": () => {
    const choice = document.getElementById("snooze-until").value;
    const custom = document.getElementById("snooze-custom").value;
    // The typed time is the agent's wall clock in their own time zone, not the browser's.
    const until = choice === "custom" ? (custom ? zonedInstant(custom, document.body.dataset.timeZone || "Asia/Tokyo") : null) : choice;
    if (until) post("snooze", { until });
  },
  "no-reply": resolveWithReason,
  "merge-search": () => findMergeCandidates(),
};

/// The instant at wall-clock `local` ("2026-12-02T09:00") in time zone `zone`, as ISO 8601.
/// The zone's offset at that moment is read back from Intl and applied (twice, so a
/// daylight-saving change between the guess and the answer is taken into account).
export function zonedInstant(local, zone) {
  const [date, time] = local.split("T");
  const [y, mo, d] = date.split("-").map(Number);
  const [h, mi] = time.split(":").map(Number);
  const wall = Date.UTC(y, mo - 1, d, h, mi);
  const offset = (instant) => {
    const parts = Object.fromEntries(new Intl.DateTimeFormat("en-US", {
      timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit", minute: "2-digit", second: "2-digit",
    }).formatToParts(new Date(instant)).map((p) => [p.type, p.value]));
    return Date.UTC(+parts.year, +parts.month - 1, +parts.day, +parts.hour, +parts.minute, +parts.second) - instant;
  };
  let instant = wall - offset(wall);
  instant = wall - offset(instant);
  return new Date(instant).toISOString();
}

export function installConversationActions() {
  if (!root()) return;
  document.addEventListener("click", async (event) => {
    const button = event.target.closest("button");
    if (!button) return;
    if (clicks[button.id]) { clicks[button.id](); return; }
    if (button.classList.contains("remove-label")) { post("labels", { remove: [button.dataset.label] }); return; }
    if (button.classList.contains("retry")) {
      // Says what happened: sending again now, or why it could not be.
      const note = document.createElement("span");
      note.className = "retry-status";
      note.setAttribute("role", "status");
      note.textContent = strings.retried;
      button.replaceWith(note);
      await busy(async () => {
        try {
          await api("POST", `/api/v1/messages/${button.dataset.message}/retry`);
          await refresh(["timeline", "thread-head"]);
        } catch (e) {
          note.textContent = `${strings.retryFailed}: ${e.message}`;
        }
      });
      return;
    }
    // A supervisor's decision on a reply held for approval: sent (as edited here), or sent back with a comment.
    if (button.classList.contains("approve") || button.classList.contains("return")) {
      const box = button.closest(".approval");
      const status = box.querySelector(".approval-status");
      const approving = button.classList.contains("approve");
      const payload = approving ? { text: box.querySelector(".approve-text").value } : { comment: box.querySelector(".return-comment").value };
      await busy(async () => {
        try {
          await api("POST", `/api/v1/messages/${box.dataset.message}/${approving ? "approve" : "return"}`, payload);
          await refresh(["timeline", "thread-head"]);
        } catch (e) {
          status.textContent = e.message;
        }
      });
      return;
    }
    if (button.classList.contains("undo-merge")) {
      if (!confirm(strings.undoMergeConfirm)) return;
      await busy(async () => {
        await api("POST", `/api/v1/contact-merges/${button.dataset.merge}/undo`);
        await refresh(["customer", "timeline"]);
      });
      return;
    }
    if (button.classList.contains("like-comment")) {
      await busy(async () => { await api("POST", `/api/v1/messages/${button.dataset.message}/like`); await refresh(["timeline"]); });
      return;
    }
    if (button.classList.contains("hide-comment")) {
      // Spam only: hiding a complaint hides the answer to it too, and customers notice.
      if (!confirm(strings.hideWarning)) return;
      await busy(async () => { await api("POST", `/api/v1/messages/${button.dataset.message}/hide`, { reason: "spam" }); await refresh(["timeline"]); });
      return;
    }
    if (button.classList.contains("show-images")) {
      const frame = button.closest(".html-mail").querySelector("iframe");
      frame.src = frame.src + (frame.src.includes("?") ? "&" : "?") + "images=1";
      button.disabled = true;
    }
  });
  document.addEventListener("change", (event) => changes[event.target.id]?.(event.target));
  document.addEventListener("submit", (event) => {
    const handler = submits[event.target.id];
    if (!handler) return;
    event.preventDefault();
    handler();
  });
}

/// Finds another contact (a second address, the same person on LINE) to merge into this
/// one: its identities and conversations move here.
async function findMergeCandidates() {
  const target = Number(document.getElementById("contact-name").dataset.contact);
  const list = document.getElementById("merge-candidates");
  const q = document.getElementById("merge-query").value.trim();
  if (!q) return;
  const found = (await api("GET", `/api/v1/contacts?q=${encodeURIComponent(q)}&limit=10`)).contacts ?? [];
  list.replaceChildren(...found.filter((c) => c.id !== target).map((c) => {
    const li = document.createElement("li");
    const ids = (c.identities ?? []).map((i) => `${i.channel}: ${i.externalId}`).join(", ");
    li.append(document.createTextNode(`${c.name}${c.email ? " <" + c.email + ">" : ""} ${ids}`));
    const button = document.createElement("button");
    button.type = "button";
    button.className = "merge-into";
    button.textContent = strings.mergeHere;
    button.addEventListener("click", async () => {
      if (!confirm(strings.mergeConfirm.replace("{name}", c.name))) return;
      await api("POST", `/api/v1/contacts/${target}/merge`, { sourceId: c.id });
      await refresh(["conversation-controls", "customer", "timeline"]);
    });
    li.append(" ", button);
    return li;
  }));
  if (list.children.length === 0) list.replaceChildren(Object.assign(document.createElement("li"), { textContent: strings.noMatches }));
}
