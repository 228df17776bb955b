// The page's only script: reads the form, asks GET /check, and shows the answer. Everything from the answer is
// put in the page as text (textContent), never as HTML: a repository's file and package names are untrusted.
"use strict";

const $ = (id) => document.getElementById(id);

function cell(row, text) {
  const td = document.createElement("td");
  td.textContent = text;
  row.appendChild(td);
}

function where(item) {
  return (item.locations || []).slice(0, 3).map((loc) => `${loc.path}:${loc.line}`).join(", ");
}

function fillTable(id, items, last) {
  const body = $(id).querySelector("tbody");
  body.replaceChildren();
  for (const item of items) {
    const row = document.createElement("tr");
    cell(row, item.package);
    cell(row, (item.imports || []).join(", "));
    cell(row, last(item));
    body.appendChild(row);
  }
  $(`${id}-section`).hidden = items.length === 0;
}

function show(report, query) {
  const required = report.missing.filter((item) => !item.optional);
  const optional = report.missing.filter((item) => item.optional);
  $("verdict").textContent = report.in_sync
    ? "In sync: every package the code needs is declared."
    : `${required.length} package${required.length === 1 ? "" : "s"} missing from the declared requirements.`;
  $("verdict").className = report.in_sync ? "ok" : "bad";
  const declared = (report.declared_in || []).join(", ") || "nothing";
  $("summary").textContent = `Scanned ${report.files_scanned} files; declared in: ${declared}.`;
  fillTable("missing", required, where);
  fillTable("optional", optional, (item) => item.reason || (item.scope && item.scope !== "app" ? item.scope : ""));
  const unused = $("unused");
  unused.replaceChildren();
  for (const item of report.unused) {
    const li = document.createElement("li");
    li.textContent = item.package;
    unused.appendChild(li);
  }
  $("unused-section").hidden = report.unused.length === 0;
  $("requirements").textContent = report.requirements;
  $("share").href = `/?${query}`;
  $("raw").href = `/check?${query}`;
  $("report").hidden = false;
}

async function check(codeUrl, ref) {
  const params = new URLSearchParams({ code_url: codeUrl });
  if (ref) params.set("ref", ref);
  const query = params.toString();
  if (location.search !== `?${query}`) history.replaceState(null, "", `/?${query}`);
  $("status").textContent = "Checking... (a first check clones the repository: it can take a while)";
  $("status").className = "";
  $("report").hidden = true;
  $("submit").disabled = true;
  try {
    const response = await fetch(`/check?${query}`, { headers: { Accept: "application/json" } });
    const body = await response.json();
    if (!response.ok) {
      const retry = response.headers.get("Retry-After");
      throw new Error(`${response.status}: ${body.detail}${retry ? ` (retry in ${retry} s)` : ""}`);
    }
    show(body, query);
    $("status").textContent = "";
  } catch (error) {
    $("status").textContent = `Could not check it. ${error.message}`;
    $("status").className = "error";
  } finally {
    $("submit").disabled = false;
  }
}

document.addEventListener("DOMContentLoaded", () => {
  $("check").addEventListener("submit", (event) => {
    event.preventDefault();
    check($("code_url").value.trim(), $("ref").value.trim());
  });
  const asked = new URLSearchParams(location.search);
  if (asked.get("code_url")) {
    $("code_url").value = asked.get("code_url");
    $("ref").value = asked.get("ref") || "";
    check($("code_url").value, $("ref").value);
  }
});
