// The orders panel beside a conversation: read from the API after the page is shown (a slow
// store must never hold the page up), drawn with textContent only (an order's text is the
// customer's and the shop's, never markup), and redrawn after an agent links an order.
import { api, strings, busy } from "/assets/core.js";
import { fixForm, loadActions } from "/assets/order-actions.js";

const lang = document.body.dataset.lang || "ja";
const timeZone = document.body.dataset.timeZone || "Asia/Tokyo";
const say = (key, values = {}) => Object.entries(values).reduce((text, [k, v]) => text.replace(`{${k}}`, v), strings[key] ?? key);

function date(iso) {
  return new Intl.DateTimeFormat(lang === "ja" ? "ja-JP" : "en-GB", { dateStyle: "medium", timeZone }).format(new Date(iso));
}

function money(m) {
  if (!m) return "";
  const amount = Number(m.amount);
  return Number.isFinite(amount) ? new Intl.NumberFormat(lang === "ja" ? "ja-JP" : "en-GB", { style: "currency", currency: m.currency }).format(amount) : `${m.amount} ${m.currency}`;
}

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/// A link only to http(s): an order's URL comes from outside.
function link(href, text) {
  try {
    const url = new URL(href);
    if (url.protocol !== "https:" && url.protocol !== "http:") return null;
  } catch (_) { return null; }
  const a = el("a", "", text);
  a.href = href;
  a.target = "_blank";
  a.rel = "noopener noreferrer";
  return a;
}

function card(shown, conversationId, offerLink) {
  const o = shown.order;
  const li = el("li", "order-card");
  li.dataset.order = o.key.id;
  const head = el("div", "order-head");
  head.append(el("strong", "order-number", o.number), el("span", "order-store", shown.storeName));
  li.append(head);
  li.append(el("p", "order-reasons", shown.reasons.map((r) => say(`orderReason_${r}`)).join("・")));
  const status = el("p", "order-status");
  if (o.platformStatus && strings[`${shown.platform}_${o.platformStatus}`]) {
    // A platform's own status (Rakuten's 100–900) says more than the two general ones.
    status.append(el("span", `pill platform-${o.platformStatus}`, say(`${shown.platform}_${o.platformStatus}`)));
  } else {
    status.append(el("span", `pill payment-${o.payment}`, say(`payment_${o.payment}`)), " ", el("span", `pill fulfilment-${o.fulfilment}`, say(`fulfilment_${o.fulfilment}`)));
  }
  li.append(status);
  li.append(el("p", "order-meta", [say("orderPlaced", { date: date(o.createdAt) }), o.total ? `${say("orderTotal")} ${money(o.total)}` : ""].filter(Boolean).join(" · ")));
  if (o.lines.length) {
    const items = el("ul", "order-lines");
    for (const line of o.lines) items.append(el("li", "", `${line.title}${line.variant ? ` (${line.variant})` : ""} × ${line.quantity}`));
    li.append(items);
  }
  for (const s of o.shipments) {
    const p = el("p", `shipment shipment-${s.status}`);
    p.append(el("span", "pill", say(`shipment_${s.status}`)));
    if (s.deliveredAt) p.append(" ", date(s.deliveredAt));
    for (const t of s.tracking) {
      p.append(" ", [t.company, t.number].filter(Boolean).join(" "));
      const a = t.url && link(t.url, say("trackParcel"));
      if (a) p.append(" ", a);
    }
    li.append(p);
  }
  const address = o.shippingAddress;
  if (address) {
    li.append(el("p", "order-address", `${say("orderShipTo")}: ${[address.zip, address.province, address.city, address.address1, address.address2, address.name].filter(Boolean).join(" ")}`));
  }
  if (o.note) li.append(el("p", "order-note", o.note));
  const actions = el("p", "order-actions");
  const admin = o.adminURL && link(o.adminURL, say("openInShop"));
  if (admin) actions.append(admin);
  if (offerLink && !shown.reasons.includes("linked")) {
    const button = el("button", "quiet link-order", say("linkOrder"));
    button.type = "button";
    button.addEventListener("click", () => busy(async () => {
      await api("POST", `/api/v1/conversations/${conversationId}/orders/links`, { store: o.key.store, orderId: o.key.id });
      await loadOrders(conversationId);
    }));
    actions.append(" ", button);
  }
  li.append(actions);
  li.append(el("p", "order-seen note", say("orderSeen", { date: date(shown.seenAt) })));
  li.append(fixForm(shown, conversationId, () => loadOrders(conversationId)));
  return li;
}

export async function loadOrders(conversationId) {
  const section = document.getElementById("orders");
  if (!section) return;
  const status = document.getElementById("orders-status"), notes = document.getElementById("order-notes"), list = document.getElementById("order-list");
  let panel;
  try {
    panel = await api("GET", `/api/v1/conversations/${conversationId}/orders`);
  } catch (e) {
    status.textContent = e.message;
    section.setAttribute("aria-busy", "false");
    return;
  }
  notes.replaceChildren();
  for (const store of panel.stores) {
    if (store.reachable === false) notes.append(el("li", "note warning store-unreachable", say("storeUnreachable", { store: store.name, problem: store.problem ?? "" })));
    if (store.pending) notes.append(el("li", "note store-pending", say("storePending", { store: store.name })));
    if (store.licenceExpires) notes.append(el("li", "note warning licence-expires", say("licenceExpires", { store: store.name, date: date(store.licenceExpires) })));
    if (store.visibleDays) notes.append(el("li", "note", say("storeVisibleDays", { store: store.name, days: store.visibleDays })));
  }
  for (const number of panel.unresolvedNumbers) notes.append(el("li", "note warning order-unresolved", say("orderUnresolved", { number })));
  const several = panel.customersMatched > 1 && !panel.orders.some((o) => o.reasons.includes("linked"));
  if (several) notes.append(el("li", "note warning", say("severalCustomers")));
  const platforms = Object.fromEntries(panel.stores.map((s) => [s.id, s.platform]));
  list.replaceChildren(...panel.orders.map((o) => card({ ...o, platform: platforms[o.order.key.store] }, conversationId, several || o.reasons.every((r) => r === "numberInMessage"))));
  // Orders under the same name: only suggestions, each with the button that links it.
  if (panel.suggestions.length) {
    const item = el("li", "order-suggestions");
    item.append(el("h3", "", say("orderSuggestions")));
    const suggestions = el("ol", "order-list suggested");
    suggestions.append(...panel.suggestions.map((o) => card({ ...o, platform: platforms[o.order.key.store] }, conversationId, true)));
    item.append(suggestions);
    list.append(item);
  }
  status.textContent = panel.stores.length === 0 ? say("ordersLater") : panel.orders.length === 0 ? say("ordersNone") : "";
  status.hidden = status.textContent === "";
  await loadActions(conversationId, () => loadOrders(conversationId));
  section.setAttribute("aria-busy", "false");
}
