// Shared by the UI's modules: the words, who is signed in, API calls, partial refresh.
const body = document.body;
export const strings = JSON.parse(body.dataset.strings || "{}");
export const me = Number(body.dataset.user || 0);

export async function api(method, path, payload) {
  const headers = { "X-CSRF-Token": document.querySelector('meta[name="csrf-token"]').content };
  if (payload !== undefined) headers["Content-Type"] = "application/json";
  const res = await fetch(path, { method, headers, body: payload === undefined ? undefined : JSON.stringify(payload), credentials: "same-origin" });
  if (!res.ok) {
    let detail = res.statusText;
    try { detail = (await res.json()).detail || detail; } catch (_) { /* not JSON */ }
    throw new Error(detail);
  }
  return res.status === 204 || res.status === 202 ? null : res.json();
}

/// Replaces the element with `id` by the same element of a fresh copy of the page.
export async function refresh(ids) {
  const res = await fetch(location.href, { credentials: "same-origin" });
  if (!res.ok) return;
  const doc = new DOMParser().parseFromString(await res.text(), "text/html");
  for (const id of ids) {
    const fresh = doc.getElementById(id), old = document.getElementById(id);
    if (fresh && old) old.replaceWith(document.importNode(fresh, true));
  }
  document.dispatchEvent(new CustomEvent("kotae:refreshed"));
}

