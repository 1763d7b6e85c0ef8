// Fixes on an order from its card (refund, replacement, coupon, gift card, cancel, tag), and
// the conversation's fixes with their states. A refund shows what Shopify would
// refund, and whether it waits for an admin, before the agent confirms. Text goes in with
// textContent only.
import { api, strings, busy, me } from "/assets/core.js";

const say = (key, values = {}) => Object.entries(values).reduce((text, [k, v]) => text.replace(`{${k}}`, v), strings[key] ?? key);
const isAdmin = document.body.dataset.admin === "true";

function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

function button(text, className, onClick) {
  const b = el("button", className, text);
  b.type = "button";
  b.addEventListener("click", onClick);
  return b;
}

/// The form under an order's card. `reload` draws the panel again once something is recorded.
export function fixForm(shown, conversationId, reload) {
  const o = shown.order;
  const details = el("details", "order-fix");
  details.append(el("summary", "", say("fixOrder")));
  const form = el("form", "fix-form");
  form.dataset.order = o.key.id;
  const kind = el("select", "fix-kind");
  kind.setAttribute("aria-label", say("fixKind"));
  for (const k of ["refund", "reship", "coupon", "note", "giftCard", "cancel"]) {
    const option = el("option", "", say(`action_${k}`));
    option.value = k;
    kind.append(option);
  }
  const items = el("fieldset", "fix-items");
  items.append(el("legend", "", say("fixItems")));
  for (const line of o.lines) {
    const label = el("label", "fix-item");
    const box = el("input");
    box.type = "checkbox";
    box.value = line.id ?? "";
    const quantity = el("input", "fix-quantity");
    quantity.type = "number";
    quantity.min = "1";
    quantity.max = String(line.currentQuantity ?? line.quantity);
    quantity.value = "1";
    quantity.setAttribute("aria-label", say("fixQuantity"));
    label.append(box, " ", line.title, " ", quantity);
    items.append(label);
  }
  const percent = el("input", "fix-percent");
  percent.type = "number";
  percent.min = "1";
  percent.max = "100";
  percent.value = "10";
  percent.setAttribute("aria-label", say("fixPercent"));
  const percentLabel = el("label", "fix-percent-label", say("fixPercent") + " ");
  percentLabel.append(percent);
  const amount = el("input", "fix-amount");
  amount.inputMode = "decimal";
  amount.setAttribute("aria-label", say("fixAmount"));
  const amountLabel = el("label", "fix-amount-label", say("fixAmount") + " ");
  amountLabel.append(amount);
  const reason = el("textarea", "fix-reason");
  reason.required = true;
  reason.rows = 2;
  reason.placeholder = say("fixReason");
  reason.setAttribute("aria-label", say("fixReason"));
  const note = el("p", "note fix-suggestion");
  note.setAttribute("role", "status");
  const error = el("p", "error fix-error");
  error.setAttribute("role", "alert");
  error.hidden = true;

  const lines = () => [...items.querySelectorAll(".fix-item")]
    .filter((l) => l.querySelector("input[type=checkbox]").checked)
    .map((l) => ({ lineId: l.querySelector("input[type=checkbox]").value, quantity: Number(l.querySelector(".fix-quantity").value) }));
  const check = button(say("fixCheckAmount"), "fix-check", () => busy(async () => {
    error.hidden = true;
    try {
      const query = new URLSearchParams({ store: o.key.store, orderId: o.key.id, lines: lines().map((l) => `${l.lineId}:${l.quantity}`).join(",") });
      const answer = await api("GET", `/api/v1/conversations/${conversationId}/refund-suggestion?${query}`);
      amount.value = answer.suggestion.amount.amount;
      note.textContent = say(answer.needsApproval ? "fixNeedsApproval" : "fixSuggested", { amount: answer.suggestion.amount.amount, limit: answer.limit });
      note.dataset.needsApproval = String(answer.needsApproval);
    } catch (e) {
      error.textContent = e.message;
      error.hidden = false;
    }
  }));
  const show = () => {
    const k = kind.value;
    items.hidden = !(k === "refund" || k === "reship");
    percentLabel.hidden = k !== "coupon";
    amountLabel.hidden = !(k === "refund" || k === "giftCard");
    check.hidden = !(k === "refund" && shown.platform === "shopify");
  };
  kind.addEventListener("change", show);
  show();
  const submit = el("button", "primary fix-submit", say("fixRecord"));
  submit.type = "submit";
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    busy(async () => {
      error.hidden = true;
      const body = { store: o.key.store, orderId: o.key.id, kind: kind.value, reason: reason.value, lines: lines() };
      if (!amountLabel.hidden) body.amount = amount.value;
      if (!percentLabel.hidden) body.percent = Number(percent.value);
      try {
        await api("POST", `/api/v1/conversations/${conversationId}/order-actions`, body);
        details.open = false;
        await reload();
      } catch (e) {
        error.textContent = e.message;
        error.hidden = false;
      }
    });
  });
  form.append(kind, items, percentLabel, amountLabel, check, note, reason, error, submit);
  details.append(form);
  return details;
}

/// The conversation's fixes, newest last, with what an agent or admin can do next.
export async function loadActions(conversationId, reload) {
  const list = document.getElementById("order-actions");
  if (!list) return;
  const { actions } = await api("GET", `/api/v1/conversations/${conversationId}/order-actions`);
  document.getElementById("order-actions-title").hidden = actions.length === 0;
  list.replaceChildren(...actions.map((a) => {
    const li = el("li", `order-action state-${a.state}`);
    li.dataset.action = String(a.id);
    const head = el("p", "");
    head.append(el("strong", "", `${a.orderNumber} ${say(`action_${a.kind}`)}`), " ", el("span", "pill action-state", say(`actionState_${a.state}`)));
    li.append(head, el("p", "action-reason", a.reason));
    if (a.result) li.append(el("p", "action-result note", a.result));
    if (a.error) li.append(el("p", "action-error error", a.error));
    if (a.checklist.length) {
      const steps = el("ol", "action-checklist");
      for (const step of a.checklist) steps.append(el("li", "", say(step)));
      li.append(steps);
    }
    const act = (path) => () => busy(async () => {
      try {
        await api("POST", `/api/v1/order-actions/${a.id}/${path}`);
        await reload();
      } catch (e) {
        li.append(el("p", "error", e.message));
      }
    });
    if (a.state === "requested" && isAdmin) li.append(button(say("actionApprove"), "primary action-approve", act("approve")), " ", button(say("actionReject"), "action-reject", act("reject")));
    if (a.state === "manual") li.append(button(say("actionDone"), "action-done", act("done")));
    if (a.kind === "giftCard" && a.state === "confirmed" && a.requestedBy === me) {
      // The code is shown once, here, for the agent to send; afterwards only its end remains.
      const shown = el("p", "gift-code");
      li.append(button(say("giftCardShowCode"), "gift-code-show", () => busy(async () => {
        try {
          shown.textContent = (await api("POST", `/api/v1/order-actions/${a.id}/code`)).code;
        } catch (e) {
          shown.textContent = e.message;
        }
      })), shown);
    }
    return li;
  }));
}
