// Calls to the API the page is served by: a generated server's admin API
// (/__mockc/) or the orchestrator's REST API (which proxies each server's).

const TOKEN_KEY = "mockc.token";

/** True when the page is a single server's UI (/__mockc/ui/), false on the orchestrator. */
export const single = location.pathname.startsWith("/__mockc/");

export function token() {
  return sessionStorage.getItem(TOKEN_KEY) || "";
}

export function setToken(value) {
  if (value) sessionStorage.setItem(TOKEN_KEY, value);
  else sessionStorage.removeItem(TOKEN_KEY);
}

export class ApiError extends Error {
  constructor(status, document) {
    const detail = (document && (document.detail || document.title)) || `HTTP ${status}`;
    super(detail);
    this.status = status;
    this.document = document || {};
  }
}

/** The path of a server's admin route: ``path`` is what follows /__mockc/. */
export function adminPath(server, path) {
  return single ? `/__mockc/${path}` : `/servers/${encodeURIComponent(server)}/admin/${path}`;
}

/** One call; resolves to the decoded JSON answer (null for 204), rejects with ApiError. */
export async function call(method, path, body) {
  const headers = { accept: "application/json" };
  const given = token();
  if (given) headers.authorization = `Bearer ${given}`;
  let payload;
  if (body instanceof FormData) payload = body;
  else if (body !== undefined) {
    headers["content-type"] = "application/json";
    payload = JSON.stringify(body);
  }
  const response = await fetch(path, { method, headers, body: payload, cache: "no-store" });
  if (response.status === 204) return null;
  const text = await response.text();
  let document = null;
  try {
    document = text ? JSON.parse(text) : null;
  } catch {
    document = { detail: text.slice(0, 500) };
  }
  if (!response.ok) throw new ApiError(response.status, document);
  return document;
}

/** A query string from the non-empty fields of ``fields``. */
export function query(fields) {
  const params = new URLSearchParams();
  for (const [name, value] of Object.entries(fields)) {
    if (value !== "" && value !== null && value !== undefined && value !== false) {
      params.set(name, String(value));
    }
  }
  const text = params.toString();
  return text ? `?${text}` : "";
}
