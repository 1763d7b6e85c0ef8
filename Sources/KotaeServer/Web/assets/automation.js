// The automation settings: a rule's switch and delete, and a dry run of the rule being
// written (which recent conversations it would act on, nothing done).
import { api, strings } from "/assets/core.js";
import { collect } from "/assets/forms.js";

export function installAutomation() {
  for (const row of document.querySelectorAll("li.rule[data-rule]")) {
    const status = row.querySelector(".form-status");
    const rule = JSON.parse(row.dataset.rule);
    row.querySelector(".rule-enabled").addEventListener("change", async (event) => {
      const body = { name: rule.name, enabled: event.target.checked, trigger: rule.trigger, conditions: rule.conditions, actions: rule.actions };
      if (rule.afterMinutes != null) body.afterMinutes = rule.afterMinutes;
      try {
        await api("PATCH", `/api/v1/automation/rules/${rule.id}`, body);
        status.textContent = strings.saved;
      } catch (error) {
        event.target.checked = !event.target.checked;
        status.textContent = error.message;
      }
    });
    const remove = row.querySelector(".rule-delete");
    remove.addEventListener("click", async () => {
      if (!confirm(remove.dataset.confirm)) return;
      try {
        await api("DELETE", `/api/v1/automation/rules/${rule.id}`);
        row.remove();
      } catch (error) { status.textContent = error.message; }
    });
  }
  const form = document.getElementById("add-rule");
  const button = document.getElementById("rule-dry-run");
  if (!form || !button) return;
  button.addEventListener("click", async () => {
    const out = document.getElementById("dry-run-out");
    const status = form.querySelector(".form-status");
    status.textContent = "";
    try {
      const result = await api("POST", "/api/v1/automation/rules/dry-run", collect(form));
      const title = document.createElement("p");
      title.id = "dry-run-summary";
      title.textContent = strings.autoDryRunResult.replace("{checked}", result.checked).replace("{matched}", result.matches.length);
      const list = document.createElement("ul");
      list.className = "dry-run";
      list.replaceChildren(...result.matches.map((m) => {
        const li = document.createElement("li");
        const link = document.createElement("a");
        link.href = `/conversations/${m.conversationId}`;
        link.textContent = m.contactName;
        li.append(link, document.createTextNode(` — ${m.snippet}`));
        return li;
      }));
      out.replaceChildren(title, list);
    } catch (error) {
      status.textContent = error.message;
    }
  });
}
