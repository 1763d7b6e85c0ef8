// Shared by the UI's modules: the words, who is signed in, API calls, partial refresh.
const body = document.body;
export const strings = JSON.parse(body.dataset.strings || "{}");
export const me = Number(body.dataset.user || 0);

export async function api(method, path, payload) {
  // Problems come back in the page's language, whatever the browser's own setting.
  const headers = { "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content, "Accept-Language": body.dataset.lang || "ja" };
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload), credentials: "same-origin" });
  if (!res.ok) {
    let detail = res.statusText;
    try { detail = (await res.json()).detail || detail; } catch (_) { /* not JSON */ }
    throw new Error(detail);
  }
  return res.status === 204 || res.status === 202 ? null : res.json();
}

/// Runs `work` with the page marked busy (`data-busy` on body): scripts and tests can tell
/// when an action and the refresh it causes have finished.
export async function busy(work) {
  const body = document.body;
  body.dataset.busy = String(Number(body.dataset.busy || 0) + 1);
  try {
    return await work();
  } finally {
    const left = Number(body.dataset.busy) - 1;
    if (left > 0) body.dataset.busy = String(left); else delete body.dataset.busy;
  }
}

/// Replaces the element with `id` by the same element of a fresh copy of the page.
/// A live update (`live: true`) leaves alone a part where the agent is typing or choosing,
/// so nobody's half-typed label or open menu vanishes under their hands.
export async function refresh(ids, options) {
  return busy(() => replaceParts(ids, options ?? {}));
}

async function replaceParts(ids, { live = false }) {
  const res = await fetch(location.href, { credentials: "same-origin" });
  if (!res.ok) return;
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  const focused = document.activeElement?.closest("input, select, textarea");
  for (const id of ids) {
    const fresh = doc.getElementById(id), old = document.getElementById(id);
    if (!fresh || !old) continue;
    if (live && focused && old.contains(focused)) continue;
    old.replaceWith(document.importNode(fresh, true));
  }
  document.dispatchEvent(new CustomEvent("kotae:refreshed"));
}

