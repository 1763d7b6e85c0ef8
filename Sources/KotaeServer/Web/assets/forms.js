// Declarative forms for the settings and account pages:
//   <form data-api="PATCH /api/v1/users/3" data-after="reload">
// Each named field becomes a JSON property; dots nest ("slaPolicy.firstResponse").
// data-type on a field: "number", "minutes" (sent as seconds), "hours" (sent as seconds),
// "duration" (a number with a .duration-unit select beside it; sent as seconds),
// "percent" (sent as a fraction), "bool" (checkbox), "flag-bool" (true when checked, else left out), "flag" (checkbox sent as "true" or ""), "ids" (checked boxes of one name → numbers),
// "values" (checked boxes of one name → strings), "lines" (values separated by spaces or lines → list), "numbers" (separated by spaces or commas → list of numbers), "rows" (one phrase per line → list), "json" (a literal such as true). Empty optional fields are left out unless data-keep-empty.
// A form with data-collect="business-hours" adds its weekly table (see businessHours()).
import { api, strings } from "/assets/core.js";

function setPath(target, path, value) {
  const keys = path.split(".");
  let at = target;
  for (const key of keys.slice(0, -1)) at = at[key] ??= {};
  at[keys.at(-1)] = value;
}

function fieldValue(field) {
  const raw = field.value.trim();
  switch (field.dataset.type) {
    case "number": return raw === "" ? undefined : Number(raw);
    case "minutes": return raw === "" ? undefined : Number(raw) * 60;
    case "hours": return raw === "" ? undefined : Number(raw) * 3600;
    // A number and the unit chosen beside it (seconds per unit), sent as seconds.
    case "duration": return raw === "" ? undefined : Number(raw) * Number(field.parentElement.querySelector(".duration-unit").value);
    case "percent": return raw === "" ? undefined : Number(raw) / 100;
    case "bool": return field.checked;
    // A box that is sent only when checked (true), left out otherwise.
    case "flag-bool": return field.checked ? true : undefined;
    // A stored on/off setting: "true", or "" (which removes it).
    case "flag": return field.checked ? "true" : "";
    case "lines": return raw.split(/\s+/).filter(Boolean);
    // Numbers separated by spaces or commas (「60, 15」) → a list of numbers.
    case "numbers": return raw.split(/[\s,、]+/).filter(Boolean).map(Number);
    // One phrase per line, spaces kept (an article's other phrasings).
    case "rows": return raw.split("\n").map((line) => line.trim()).filter(Boolean);
    case "json": return raw === "" ? undefined : JSON.parse(raw);
    default: return raw === "" && !("keepEmpty" in field.dataset) ? undefined : raw;
  }
}

/// The weekly opening hours table: one row per ISO weekday with "open", "from", "to".
function businessHours(form) {
  const table = form.querySelector("[data-business-hours]");
  if (!table || !form.querySelector('[name="businessHoursOn"]')?.checked) return null;
  const minutes = (hhmm) => { const [h, m] = hhmm.split(":").map(Number); return h * 60 + m; };
  const week = {};
  for (const row of table.querySelectorAll("[data-day]")) {
    if (!row.querySelector(".day-open").checked) continue;
    const end = row.querySelector(".day-to").value === "24:00" ? 1440 : minutes(row.querySelector(".day-to").value);
    week[row.dataset.day] = [{ start: minutes(row.querySelector(".day-from").value), end }];
  }
  return {
    timeZone: form.querySelector('[name="bhTimeZone"]').value,
    week,
    japaneseHolidays: form.querySelector('[name="bhHolidays"]').checked,
    closedDays: form.querySelector('[name="bhClosedDays"]').value.split(/\s+/).filter(Boolean),
  };
}

export function collect(form) {
  const body = {};
  const ids = {};
  for (const field of form.elements) {
    if (!field.name || field.disabled || field.closest("[data-business-hours]") || field.name.startsWith("bh") || field.name === "businessHoursOn") continue;
    if (field.dataset.type === "ids") {
      ids[field.name] ??= [];
      if (field.checked) ids[field.name].push(Number(field.value));
      continue;
    }
    // Checked boxes as a list of strings; none checked leaves the field out.
    if (field.dataset.type === "values") {
      if (field.checked) { const list = ids[field.name] ??= []; list.push(field.value); }
      continue;
    }
    const value = fieldValue(field);
    if (value !== undefined) setPath(body, field.name, value);
  }
  for (const [name, list] of Object.entries(ids)) setPath(body, name, list);
  if (form.dataset.collect === "business-hours" && body.slaPolicy) {
    const hours = businessHours(form);
    if (hours) body.slaPolicy.businessHours = hours;
  }
  return body;
}

export function installForms() {
  for (const form of document.querySelectorAll("form[data-api]")) {
    const status = form.querySelector(".form-status");
    form.addEventListener("submit", async (event) => {
      event.preventDefault();
      if (form.dataset.confirm && !confirm(form.dataset.confirm)) return;
      const [method, path] = form.dataset.api.split(" ");
      if (status) { status.textContent = ""; status.classList.remove("error"); }
      try {
        const out = await api(method, path, method === "DELETE" ? undefined : collect(form));
        if (form.dataset.after === "reload") { location.reload(); return; }
        if (form.dataset.after === "show-token") {
          // A new API token is shown this once; the list below it is reloaded on the next visit.
          const shown = form.querySelector("[data-token-out]");
          shown.textContent = out.token;
          shown.hidden = false;
          form.reset();
          return;
        }
        if (form.dataset.after) { location.href = form.dataset.after; return; }
        if (status) status.textContent = strings.saved;
        form.querySelectorAll('input[type="password"]').forEach((p) => { p.value = ""; });
      } catch (error) {
        if (status) { status.textContent = error.message; status.classList.add("error"); }
      }
    });
  }
  for (const toggle of document.querySelectorAll('[name="businessHoursOn"]')) {
    const table = toggle.form.querySelector("[data-business-hours]");
    const sync = () => { table.hidden = !toggle.checked; };
    toggle.addEventListener("change", sync);
    sync();
  }
}
